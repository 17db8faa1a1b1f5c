package dev.segments.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;

/**
 * Rows brought to the driver for the initialisations that need to look at rows together (random, Huang, Cao, and the
 * first centre of k-prototypes||): every row when there are at most {@link #LIMIT}, else a Bernoulli sample of about
 * that many, drawn per partition from the seed.
 */
final class DriverSample {
  static final int LIMIT = 10_000;

  private DriverSample() {}

  static FeatureBlock of(JavaRDD<FeatureBlock> blocks, long totalRows, long seed) {
    double fraction = totalRows <= LIMIT ? 1.0 : Math.min(1.0, 1.1 * LIMIT / totalRows);
    List<FeatureBlock> parts = blocks.mapPartitionsWithIndex((index, it) -> {
      Random random = new Random(seed * 31 + index);
      List<FeatureBlock> kept = new ArrayList<>();
      while (it.hasNext()) {
        FeatureBlock block = it.next();
        boolean[] keep = new boolean[block.size];
        for (int i = 0; i < block.size; i++) {
          keep[i] = fraction >= 1.0 || random.nextDouble() < fraction;
        }
        kept.add(subset(block, keep, Integer.MAX_VALUE));
      }
      return kept.iterator();
    }, true).collect();
    return concat(parts, LIMIT);
  }

  /** The rows of {@code block} marked in {@code keep}, at most {@code limit} of them. */
  static FeatureBlock subset(FeatureBlock block, boolean[] keep, int limit) {
    int n = 0;
    for (int i = 0; i < block.size && n < limit; i++) {
      if (keep[i]) {
        n++;
      }
    }
    int d = block.numeric;
    int c = block.categorical;
    double[] values = new double[n * d];
    int[] codes = new int[n * c];
    double[] weights = block.weights == null ? null : new double[n];
    for (int i = 0, at = 0; at < n; i++) {
      if (keep[i]) {
        System.arraycopy(block.values, i * d, values, at * d, d);
        System.arraycopy(block.codes, i * c, codes, at * c, c);
        if (weights != null) {
          weights[at] = block.weights[i];
        }
        at++;
      }
    }
    return new FeatureBlock(n, d, c, values, codes, weights);
  }

  static FeatureBlock concat(List<FeatureBlock> parts, int limit) {
    FeatureBlock first = parts.get(0);
    int d = first.numeric;
    int c = first.categorical;
    int n = (int) Math.min(limit, parts.stream().mapToLong(p -> p.size).sum());
    double[] values = new double[n * d];
    int[] codes = new int[n * c];
    int at = 0;
    for (FeatureBlock part : parts) {
      int take = Math.min(part.size, n - at);
      System.arraycopy(part.values, 0, values, at * d, take * d);
      System.arraycopy(part.codes, 0, codes, at * c, take * c);
      at += take;
    }
    return new FeatureBlock(n, d, c, values, codes, null);
  }

  /** The prototypes whose numeric and categorical parts are the given rows of {@code rows}. */
  static Prototypes prototypesOf(FeatureBlock rows, int[] chosen, double gamma) {
    int d = rows.numeric;
    int c = rows.categorical;
    double[] centers = new double[chosen.length * d];
    int[] modes = new int[chosen.length * c];
    for (int j = 0; j < chosen.length; j++) {
      System.arraycopy(rows.values, chosen[j] * d, centers, j * d, d);
      System.arraycopy(rows.codes, chosen[j] * c, modes, j * c, c);
    }
    return new Prototypes(chosen.length, d, c, gamma, centers, modes);
  }

  /** Whether row {@code i} equals one of the first {@code count} chosen rows. */
  static boolean alreadyChosen(FeatureBlock rows, int i, int[] chosen, int count) {
    int d = rows.numeric;
    int c = rows.categorical;
    for (int j = 0; j < count; j++) {
      int other = chosen[j];
      if (java.util.Arrays.equals(rows.values, i * d, (i + 1) * d, rows.values, other * d, (other + 1) * d)
          && java.util.Arrays.equals(rows.codes, i * c, (i + 1) * c, rows.codes, other * c, (other + 1) * c)) {
        return true;
      }
    }
    return false;
  }

  static IllegalArgumentException fewerDistinct(int k, int found, long examined) {
    return new IllegalArgumentException("k=" + k + " prototypes need at least " + k
        + " distinct points, but only " + found + " distinct points were found among " + examined
        + " rows examined; lower k or add data");
  }
}
