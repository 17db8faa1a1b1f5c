package dev.segments.cluster;

import java.util.Random;

/**
 * Huang (1998): draw each prototype's categories from the attribute frequencies and its numeric part from a random
 * row, then replace it by the nearest row not already chosen, so the prototypes are distinct real rows. Frequencies
 * and rows come from the driver sample.
 */
final class HuangInit {
  private HuangInit() {}

  static Prototypes choose(FeatureBlock sample, int k, double gamma, int[] cardinalities, long seed) {
    int d = sample.numeric;
    int c = sample.categorical;
    double[][] frequencies = CategoryFrequencies.of(sample, cardinalities);
    Random random = new Random(seed);
    int[] chosen = new int[k];
    for (int j = 0; j < k; j++) {
      double[] center = new double[d];
      System.arraycopy(sample.values, random.nextInt(sample.size) * d, center, 0, d);
      int[] mode = new int[c];
      for (int f = 0; f < c; f++) {
        mode[f] = draw(frequencies[f], random);
      }
      Prototypes drawn = new Prototypes(1, d, c, gamma, center, mode);
      int nearest = -1;
      double best = Double.POSITIVE_INFINITY;
      for (int i = 0; i < sample.size; i++) {
        double distance = drawn.distance(sample.values, i * d, sample.codes, i * c, 0);
        if (distance < best && !DriverSample.alreadyChosen(sample, i, chosen, j)) {
          best = distance;
          nearest = i;
        }
      }
      if (nearest < 0) {
        throw DriverSample.fewerDistinct(k, j, sample.size);
      }
      chosen[j] = nearest;
    }
    return DriverSample.prototypesOf(sample, chosen, gamma);
  }

  private static int draw(double[] frequencies, Random random) {
    double total = 0;
    for (double f : frequencies) {
      total += f;
    }
    double target = random.nextDouble() * total;
    for (int code = 0; code < frequencies.length; code++) {
      target -= frequencies[code];
      if (target < 0) {
        return code;
      }
    }
    return frequencies.length - 1;
  }
}
