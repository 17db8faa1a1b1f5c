package dev.segments.cluster;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;

/**
 * Rows brought to the driver for the initialisations that need to look at rows together (random, Huang, Cao, and the
 * first centre of k-prototypes||): every row when there are at most {@link #LIMIT}, else the {@code LIMIT} rows
 * with the smallest seeded draws. The sample comes in the order of those draws, so what the initialisations pick
 * from it by position depends on the data and the seed, not on the partitioning.
 */
final class DriverSample {
  static final int LIMIT = 10_000;

  private DriverSample() {}

  static FeatureBlock of(JavaRDD<FeatureBlock> blocks, long totalRows, long seed) {
    return of(blocks, totalRows, new long[] {seed}).get(seed);
  }

  /** The sample of every seed, gathered in one job. */
  static Map<Long, FeatureBlock> of(JavaRDD<FeatureBlock> blocks, long totalRows, long[] seeds) {
    long[] distinct = Arrays.stream(seeds).distinct().toArray();
    // About 1.1 x LIMIT rows draw below this fraction, so the LIMIT smallest draws are almost surely among them.
    double fraction = totalRows <= LIMIT ? 1.0 : Math.min(1.0, 1.1 * LIMIT / totalRows);
    List<FeatureBlock[]> parts = blocks.map(block -> {
      FeatureBlock[] kept = new FeatureBlock[distinct.length];
      for (int s = 0; s < distinct.length; s++) {
        boolean[] keep = new boolean[block.size];
        for (int i = 0; i < block.size; i++) {
          keep[i] = fraction >= 1.0 || RowKeys.uniform(distinct[s], block.keys[i]) < fraction;
        }
        kept[s] = subset(block, keep);
      }
      return kept;
    }).collect();
    Map<Long, FeatureBlock> samples = new HashMap<>();
    for (int s = 0; s < distinct.length; s++) {
      int seedIndex = s;
      samples.put(distinct[s], inSeededOrder(concat(parts.stream().map(p -> p[seedIndex]).toList()), distinct[s],
          LIMIT));
    }
    return samples;
  }

  /** The rows of {@code block} marked in {@code keep}. */
  static FeatureBlock subset(FeatureBlock block, boolean[] keep) {
    int n = 0;
    for (boolean kept : keep) {
      if (kept) {
        n++;
      }
    }
    int[] rows = new int[n];
    for (int i = 0, at = 0; at < n; i++) {
      if (keep[i]) {
        rows[at++] = i;
      }
    }
    return select(block, rows);
  }

  /**
   * The rows of {@code block} ordered by their draw for {@code seed}, then by content, so the order is total; the
   * first {@code limit} of them.
   */
  static FeatureBlock inSeededOrder(FeatureBlock block, long seed, int limit) {
    int d = block.numeric;
    int c = block.categorical;
    long[] draws = new long[block.size];
    Integer[] order = new Integer[block.size];
    for (int i = 0; i < block.size; i++) {
      draws[i] = RowKeys.draw(seed, block.keys[i]);
      order[i] = i;
    }
    Comparator<Integer> byDraw = (a, b) -> Long.compareUnsigned(draws[a], draws[b]);
    Arrays.sort(order, byDraw
        .thenComparing((a, b) -> Arrays.compare(block.codes, a * c, (a + 1) * c, block.codes, b * c, (b + 1) * c))
        .thenComparing((a, b) -> Arrays.compare(block.values, a * d, (a + 1) * d, block.values, b * d, (b + 1) * d)));
    int[] rows = new int[Math.min(limit, block.size)];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = order[i];
    }
    return select(block, rows);
  }

  /** The given rows of {@code block}, in that order. */
  private static FeatureBlock select(FeatureBlock block, int[] rows) {
    int d = block.numeric;
    int c = block.categorical;
    int n = rows.length;
    double[] values = new double[n * d];
    int[] codes = new int[n * c];
    double[] weights = block.weights == null ? null : new double[n];
    long[] keys = new long[n];
    for (int at = 0; at < n; at++) {
      int i = rows[at];
      System.arraycopy(block.values, i * d, values, at * d, d);
      System.arraycopy(block.codes, i * c, codes, at * c, c);
      if (weights != null) {
        weights[at] = block.weights[i];
      }
      keys[at] = block.keys[i];
    }
    return new FeatureBlock(n, d, c, values, codes, weights, keys);
  }

  static FeatureBlock concat(List<FeatureBlock> parts) {
    FeatureBlock first = parts.get(0);
    int d = first.numeric;
    int c = first.categorical;
    int n = parts.stream().mapToInt(p -> p.size).sum();
    double[] values = new double[n * d];
    int[] codes = new int[n * c];
    long[] keys = new long[n];
    int at = 0;
    for (FeatureBlock part : parts) {
      System.arraycopy(part.values, 0, values, at * d, part.size * d);
      System.arraycopy(part.codes, 0, codes, at * c, part.size * c);
      System.arraycopy(part.keys, 0, keys, at, part.size);
      at += part.size;
    }
    return new FeatureBlock(n, d, c, values, codes, null, keys);
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
      if (Arrays.equals(rows.values, i * d, (i + 1) * d, rows.values, other * d, (other + 1) * d)
          && Arrays.equals(rows.codes, i * c, (i + 1) * c, rows.codes, other * c, (other + 1) * c)) {
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
