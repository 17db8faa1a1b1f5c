package dev.segments.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks one of a few values with fixed weights. */
final class WeightedChoice {
  private final String[] values;
  private final double[] cumulative;

  private WeightedChoice(String[] values, double[] weights) {
    this.values = values;
    this.cumulative = new double[weights.length];
    double total = 0;
    for (int i = 0; i < weights.length; i++) {
      total += weights[i];
      cumulative[i] = total;
    }
    for (int i = 0; i < cumulative.length; i++) {
      cumulative[i] /= total;
    }
  }

  /** @param valuesAndWeights value, weight, value, weight... */
  static WeightedChoice of(Object... valuesAndWeights) {
    int n = valuesAndWeights.length / 2;
    String[] values = new String[n];
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = (String) valuesAndWeights[2 * i];
      weights[i] = ((Number) valuesAndWeights[2 * i + 1]).doubleValue();
    }
    return new WeightedChoice(values, weights);
  }

  static WeightedChoice uniform(String... values) {
    double[] weights = new double[values.length];
    Arrays.fill(weights, 1);
    return new WeightedChoice(values.clone(), weights);
  }

  String pick(SplittableRandom random) {
    return values[index(random)];
  }

  /** The first value whose cumulative weight exceeds a uniform draw, so a value of weight 0 is never picked. */
  int index(SplittableRandom random) {
    double draw = random.nextDouble();
    int low = 0;
    int high = cumulative.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (cumulative[mid] > draw) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }
}
