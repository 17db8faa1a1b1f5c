package dev.segments.analysis;

import java.io.Serializable;

/**
 * Gower distance over rows stored as flat primitive arrays: numeric values row-major ({@code p} per row) and
 * categorical values as integer codes ({@code q} per row). Numeric feature f contributes |x - y| / range_f (0 when
 * the range is 0), a categorical feature 1 on mismatch; the distance is the weighted mean of the contributions.
 */
final class GowerKernel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] numericWeightOverRange;
  private final double[] categoricalWeight;
  private final double weightSum;

  /** @param weights one per feature, numeric ones first; null for equal weights */
  GowerKernel(double[] numericRanges, int categoricalCount, double[] weights) {
    int p = numericRanges.length;
    int features = p + categoricalCount;
    if (weights != null && weights.length != features) {
      throw new IllegalArgumentException("expected " + features + " feature weights (" + p + " numeric, then "
          + categoricalCount + " categorical), got " + weights.length);
    }
    numericWeightOverRange = new double[p];
    categoricalWeight = new double[categoricalCount];
    double sum = 0;
    for (int f = 0; f < features; f++) {
      double w = weights == null ? 1.0 : weights[f];
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("feature weight " + f + " must be finite and ≥ 0, got " + w);
      }
      sum += w;
      if (f < p) {
        if (!(numericRanges[f] >= 0)) {
          throw new IllegalArgumentException("numeric range " + f + " must be ≥ 0, got " + numericRanges[f]);
        }
        numericWeightOverRange[f] = numericRanges[f] > 0 ? w / numericRanges[f] : 0;
      } else {
        categoricalWeight[f - p] = w;
      }
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException("feature weights must not all be 0");
    }
    weightSum = sum;
  }

  double distance(double[] numeric, int[] codes, int i, int j) {
    int p = numericWeightOverRange.length;
    int q = categoricalWeight.length;
    double sum = 0;
    for (int f = 0, a = i * p, b = j * p; f < p; f++) {
      sum += numericWeightOverRange[f] * Math.abs(numeric[a + f] - numeric[b + f]);
    }
    for (int c = 0, a = i * q, b = j * q; c < q; c++) {
      if (codes[a + c] != codes[b + c]) {
        sum += categoricalWeight[c];
      }
    }
    return sum / weightSum;
  }
}
