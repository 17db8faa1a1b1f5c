package dev.segments.cluster;

import java.util.Random;

/** k distinct rows drawn at random from the driver sample. */
final class RandomInit {
  private RandomInit() {}

  static Prototypes choose(FeatureBlock sample, int k, double gamma, long seed) {
    int[] order = new int[sample.size];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    int[] chosen = new int[k];
    int count = 0;
    for (int i = 0; i < order.length && count < k; i++) {
      if (!DriverSample.alreadyChosen(sample, order[i], chosen, count)) {
        chosen[count++] = order[i];
      }
    }
    if (count < k) {
      throw DriverSample.fewerDistinct(k, count, sample.size);
    }
    return DriverSample.prototypesOf(sample, chosen, gamma);
  }
}
