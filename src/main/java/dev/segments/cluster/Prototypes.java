package dev.segments.cluster;

import java.io.Serializable;
import java.util.Arrays;

/**
 * k prototypes in primitive form: numeric centres on the scaled axes and the mode code of every categorical
 * feature. The distance is Huang's: squared Euclidean on the numeric part plus gamma per categorical mismatch.
 */
final class Prototypes implements Serializable {
  private static final long serialVersionUID = 1L;

  final int k;
  final int numeric;
  final int categorical;
  final double gamma;
  /** k × numeric, row-major. */
  final double[] centers;
  /** k × categorical, row-major. */
  final int[] modes;
  final double[] norms;
  /**
   * For the triangle inequality (as MLlib's k-means does since Spark 3.1), k × k, or null above {@link
   * #TRIANGLE_MAX_K} prototypes: off the diagonal a quarter of the distance between two prototypes, on it the least
   * of its row. The distance is a squared Euclidean distance once each category is one-hot encoded and scaled by
   * the square root of gamma / 2, so its square root is a metric; hence a prototype j is farther from a row than
   * prototype b whenever the row's distance to b is below {@code quarters[b * k + j]}, and b is the nearest of all
   * whenever that distance is below {@code quarters[b * k + b]}.
   */
  final double[] quarters;

  /** Above this many prototypes (only k-prototypes|| candidates get there) the k × k table is not built. */
  static final int TRIANGLE_MAX_K = 64;

  Prototypes(int k, int numeric, int categorical, double gamma, double[] centers, int[] modes) {
    if (centers.length != k * numeric || modes.length != k * categorical) {
      throw new IllegalArgumentException("prototype arrays do not match k=" + k);
    }
    this.k = k;
    this.numeric = numeric;
    this.categorical = categorical;
    this.gamma = gamma;
    this.centers = centers;
    this.modes = modes;
    this.norms = new double[k];
    for (int j = 0; j < k; j++) {
      double sum = 0;
      for (int f = 0, at = j * numeric; f < numeric; f++, at++) {
        sum += centers[at] * centers[at];
      }
      norms[j] = Math.sqrt(sum);
    }
    this.quarters = k <= TRIANGLE_MAX_K ? quarters() : null;
  }

  private double[] quarters() {
    double[] table = new double[k * k];
    for (int a = 0; a < k; a++) {
      for (int b = a + 1; b < k; b++) {
        double numericPart = 0;
        for (int f = 0; f < numeric; f++) {
          double diff = centers[a * numeric + f] - centers[b * numeric + f];
          numericPart += diff * diff;
        }
        int mismatches = 0;
        for (int f = 0; f < categorical; f++) {
          if (modes[a * categorical + f] != modes[b * categorical + f]) {
            mismatches++;
          }
        }
        double quarter = 0.25 * (numericPart + gamma * mismatches);
        table[a * k + b] = quarter;
        table[b * k + a] = quarter;
      }
    }
    for (int a = 0; a < k; a++) {
      double least = Double.POSITIVE_INFINITY;
      for (int b = 0; b < k; b++) {
        if (b != a) {
          least = Math.min(least, table[a * k + b]);
        }
      }
      table[a * k + a] = least;
    }
    return table;
  }

  /** The distance from a row to prototype {@code j}; every caller sums in this order so results agree bit for bit. */
  double distance(double[] values, int valueOffset, int[] codes, int codeOffset, int j) {
    double numericPart = numericPart(values, valueOffset, j);
    int mismatches = 0;
    for (int f = 0, m = j * categorical; f < categorical; f++, m++) {
      if (codes[codeOffset + f] != modes[m]) {
        mismatches++;
      }
    }
    return numericPart + gamma * mismatches;
  }

  /**
   * The numeric part of {@link #distance}: the squared Euclidean distance from a row's scaled values to prototype
   * {@code j}'s centre, summed feature by feature in order.
   */
  double numericPart(double[] values, int valueOffset, int j) {
    double sum = 0;
    for (int f = 0, c = j * numeric; f < numeric; f++, c++) {
      double diff = values[valueOffset + f] - centers[c];
      sum += diff * diff;
    }
    return sum;
  }

  /**
   * Per feature, numeric then categorical, what it adds to a row's distance to prototype {@code other} beyond its
   * distance to prototype {@code own}: (x - other's centre)² - (x - own's centre)² on a numeric axis, gamma ×
   * (mismatch with other's mode - mismatch with own's) on a categorical one. They sum to the difference of the two
   * distances.
   */
  double[] margins(double[] values, int[] codes, int own, int other) {
    double[] margins = new double[numeric + categorical];
    for (int f = 0; f < numeric; f++) {
      double toOther = values[f] - centers[other * numeric + f];
      double toOwn = values[f] - centers[own * numeric + f];
      margins[f] = toOther * toOther - toOwn * toOwn;
    }
    for (int f = 0; f < categorical; f++) {
      int mismatchOther = codes[f] != modes[other * categorical + f] ? 1 : 0;
      int mismatchOwn = codes[f] != modes[own * categorical + f] ? 1 : 0;
      margins[numeric + f] = gamma * (mismatchOther - mismatchOwn);
    }
    return margins;
  }

  /**
   * How many prototypes differ from {@code other}'s: modes exactly, centres beyond the rounding of a re-ordered sum
   * (the same rows summed in another order by the tree aggregation).
   */
  int changedFrom(Prototypes other) {
    int changed = 0;
    for (int j = 0; j < k; j++) {
      boolean same = Arrays.equals(modes, j * categorical, (j + 1) * categorical,
          other.modes, j * categorical, (j + 1) * categorical);
      for (int at = j * numeric; same && at < (j + 1) * numeric; at++) {
        same = Math.abs(centers[at] - other.centers[at]) <= 1e-12 * Math.max(1.0, Math.abs(centers[at]));
      }
      if (!same) {
        changed++;
      }
    }
    return changed;
  }

  /** Whether both hold the same prototypes, in any order. */
  boolean sameSetAs(Prototypes other) {
    if (other.k != k) {
      return false;
    }
    boolean[] matched = new boolean[k];
    for (int a = 0; a < k; a++) {
      boolean found = false;
      for (int b = 0; b < k && !found; b++) {
        if (!matched[b] && Arrays.equals(centers, a * numeric, (a + 1) * numeric, other.centers, b * numeric,
            (b + 1) * numeric) && Arrays.equals(modes, a * categorical, (a + 1) * categorical, other.modes,
            b * categorical, (b + 1) * categorical)) {
          matched[b] = true;
          found = true;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }
}
