package dev.segments.analysis;

import java.util.OptionalInt;

/**
 * The knee of a decreasing convex curve (a clustering cost against k) by Kneedle, Satopää, Albrecht, Irwin and
 * Raghavan, "Finding a 'Kneedle' in a Haystack" (2011), offline, with sensitivity S.
 *
 * <p>Both axes are scaled to [0, 1]; the difference curve is how far each point lies below the straight line from
 * the first point to the last, {@code (1 - y) - x}. A local maximum of the difference curve is a knee when the curve
 * falls below {@code that maximum - S × (mean x spacing)} before the next local maximum; the first such is returned.
 */
final class Kneedle {
  private Kneedle() {}

  static final double DEFAULT_SENSITIVITY = 1.0;

  /**
   * @param x strictly increasing
   * @param y the curve at each x, expected to decrease convexly
   * @return the index of the knee, or empty when there are fewer than three points, y is flat, or no local maximum
   *     of the difference curve is significant
   */
  static OptionalInt knee(double[] x, double[] y, double sensitivity) {
    int n = x.length;
    if (n != y.length) {
      throw new IllegalArgumentException("x has " + n + " points but y has " + y.length);
    }
    if (n < 3) {
      return OptionalInt.empty();
    }
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (i > 0 && !(x[i] > x[i - 1])) {
        throw new IllegalArgumentException("x must be strictly increasing, but x[" + i + "] = " + x[i]
            + " follows " + x[i - 1]);
      }
      yMin = Math.min(yMin, y[i]);
      yMax = Math.max(yMax, y[i]);
    }
    if (!(yMax > yMin)) {
      return OptionalInt.empty();
    }
    double[] difference = new double[n];
    for (int i = 0; i < n; i++) {
      double xn = (x[i] - x[0]) / (x[n - 1] - x[0]);
      double yn = (y[i] - yMin) / (yMax - yMin);
      difference[i] = (1 - yn) - xn;
    }
    double meanSpacing = 1.0 / (n - 1);
    for (int peak = 1; peak < n - 1; peak++) {
      if (!isLocalMaximum(difference, peak)) {
        continue;
      }
      double threshold = difference[peak] - sensitivity * meanSpacing;
      for (int j = peak + 1; j < n; j++) {
        if (j < n - 1 && isLocalMaximum(difference, j)) {
          break;
        }
        if (difference[j] < threshold) {
          return OptionalInt.of(peak);
        }
      }
    }
    return OptionalInt.empty();
  }

  private static boolean isLocalMaximum(double[] d, int i) {
    return d[i] > d[i - 1] && d[i] >= d[i + 1];
  }
}
