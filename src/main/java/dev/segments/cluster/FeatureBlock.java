package dev.segments.cluster;

import java.io.Serializable;

/**
 * A slice of the training rows in columnar primitive form, built once per partition and cached: every Lloyd pass
 * reads these arrays and nothing else, so a pass allocates no per-row objects and never touches a Spark Row.
 * Numeric values are already scaled; categories are already dictionary codes.
 */
final class FeatureBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Rows per block: large enough to amortise the per-block work, small enough to stay in the CPU caches. */
  static final int ROWS = 4096;

  final int size;
  final int numeric;
  final int categorical;
  /** size × numeric, row-major, scaled. */
  final double[] values;
  /** Euclidean norm of each row's numeric part, for the lower bound that lets a search skip prototypes. */
  final double[] norms;
  /** size × categorical, row-major. */
  final int[] codes;
  /** Row weights, or null when every row weighs 1. */
  final double[] weights;
  /** Each row's content key ({@link RowKeys}), for seeded draws that do not depend on the partitioning. */
  final long[] keys;

  FeatureBlock(int size, int numeric, int categorical, double[] values, int[] codes, double[] weights, long[] keys) {
    this.size = size;
    this.numeric = numeric;
    this.categorical = categorical;
    this.values = values;
    this.codes = codes;
    this.weights = weights;
    this.keys = keys;
    this.norms = new double[size];
    for (int i = 0; i < size; i++) {
      double sum = 0;
      for (int f = 0, at = i * numeric; f < numeric; f++, at++) {
        sum += values[at] * values[at];
      }
      norms[i] = Math.sqrt(sum);
    }
  }

  double weight(int row) {
    return weights == null ? 1.0 : weights[row];
  }
}
