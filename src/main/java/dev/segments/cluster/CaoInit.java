package dev.segments.cluster;

/**
 * Cao, Liang and Bai (2009): the first prototype is the densest row (the mean frequency of its categories), or, for
 * the starts after the first, a row drawn with probability proportional to its density, since the densest row would
 * make every start the same; each next one maximises density × distance to the nearest prototype chosen so far. The numeric part of
 * a prototype is its row's values, and the distance is the full K-Prototypes distance; without categorical features
 * every row has the same density and this becomes farthest-first traversal. Works on the driver sample.
 */
final class CaoInit {
  /** The {@code firstDraw} that takes the densest row first, as Cao et al. do. */
  static final Long DENSEST_FIRST = null;

  private CaoInit() {}

  /** @param firstDraw the seed of the density-weighted draw of the first prototype, or {@link #DENSEST_FIRST} */
  static Prototypes choose(FeatureBlock sample, int k, double gamma, int[] cardinalities, Long firstDraw) {
    int d = sample.numeric;
    int c = sample.categorical;
    double[][] frequencies = CategoryFrequencies.of(sample, cardinalities);
    double[] density = new double[sample.size];
    int first = 0;
    for (int i = 0; i < sample.size; i++) {
      double sum = 0;
      for (int f = 0; f < c; f++) {
        sum += frequencies[f][sample.codes[i * c + f]];
      }
      density[i] = c == 0 ? 1.0 : sum / (c * (double) sample.size);
      if (density[i] > density[first]) {
        first = i;
      }
    }
    if (firstDraw != null) {
      first = drawByDensity(density, new java.util.Random(firstDraw));
    }
    int[] chosen = new int[k];
    chosen[0] = first;
    double[] nearest = new double[sample.size];
    java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    for (int j = 1; j < k; j++) {
      Prototypes last = DriverSample.prototypesOf(sample, new int[] {chosen[j - 1]}, gamma);
      int next = -1;
      double best = 0;
      for (int i = 0; i < sample.size; i++) {
        nearest[i] = Math.min(nearest[i], last.distance(sample.values, i * d, sample.codes, i * c, 0));
        double score = density[i] * nearest[i];
        if (score > best) {
          best = score;
          next = i;
        }
      }
      if (next < 0) {
        throw DriverSample.fewerDistinct(k, j, sample.size);
      }
      chosen[j] = next;
    }
    return DriverSample.prototypesOf(sample, chosen, gamma);
  }

  private static int drawByDensity(double[] density, java.util.Random random) {
    double total = 0;
    for (double d : density) {
      total += d;
    }
    double target = random.nextDouble() * total;
    for (int i = 0; i < density.length; i++) {
      target -= density[i];
      if (target < 0) {
        return i;
      }
    }
    return density.length - 1;
  }
}
