package dev.segments.cluster;

import java.util.Random;

/**
 * Weighted k-prototypes++ seeding followed by Lloyd iterations, on the driver, over the few candidates that
 * k-prototypes|| gathered (MLlib's LocalKMeans, with the K-Prototypes distance).
 */
final class LocalKPrototypes {
  private static final int MAX_ITERATIONS = 30;

  private LocalKPrototypes() {}

  static Prototypes cluster(FeatureBlock candidates, int k, double gamma, int[] cardinalities, long seed) {
    int d = candidates.numeric;
    int c = candidates.categorical;
    Random random = new Random(seed);
    int[] chosen = new int[k];
    chosen[0] = pick(candidates, null, random);
    double[] nearest = new double[candidates.size];
    java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    for (int j = 1; j < k; j++) {
      Prototypes last = DriverSample.prototypesOf(candidates, new int[] {chosen[j - 1]}, gamma);
      for (int i = 0; i < candidates.size; i++) {
        nearest[i] = Math.min(nearest[i], last.distance(candidates.values, i * d, candidates.codes, i * c, 0));
      }
      chosen[j] = pick(candidates, nearest, random);
      if (chosen[j] < 0) {
        throw DriverSample.fewerDistinct(k, j, candidates.size);
      }
    }
    Prototypes current = DriverSample.prototypesOf(candidates, chosen, gamma);
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      ClusterStats stats = new ClusterStats(k, d, cardinalities);
      stats.add(candidates, current);
      Prototypes next = stats.nextPrototypes(current);
      if (next.changedFrom(current) == 0) {
        break;
      }
      current = next;
    }
    return current;
  }

  /** A candidate drawn with probability ∝ weight × (distance to the nearest chosen); -1 when all that is zero. */
  private static int pick(FeatureBlock candidates, double[] nearest, Random random) {
    double total = 0;
    for (int i = 0; i < candidates.size; i++) {
      total += candidates.weight(i) * (nearest == null ? 1 : nearest[i]);
    }
    if (total <= 0) {
      return -1;
    }
    double target = random.nextDouble() * total;
    int last = -1;
    for (int i = 0; i < candidates.size; i++) {
      double mass = candidates.weight(i) * (nearest == null ? 1 : nearest[i]);
      if (mass > 0) {
        last = i;
        target -= mass;
        if (target < 0) {
          return i;
        }
      }
    }
    return last;
  }
}
