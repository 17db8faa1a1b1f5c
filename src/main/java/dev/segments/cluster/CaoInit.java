package dev.segments.cluster;

/**
 * Cao, Liang and Bai (2009), deterministic: the first prototype is the densest row (the mean frequency of its
 * categories); each next one maximises density × distance to the nearest prototype chosen so far. The numeric part of
 * a prototype is its row's values, and the distance is the full K-Prototypes distance; without categorical features
 * every row has the same density and this becomes farthest-first traversal. Works on the driver sample.
 */
final class CaoInit {
  private CaoInit() {}

  static Prototypes choose(FeatureBlock sample, int k, double gamma, int[] cardinalities) {
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
}
