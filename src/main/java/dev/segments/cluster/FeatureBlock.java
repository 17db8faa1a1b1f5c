package dev.segments.cluster;

import java.io.Serializable;

/**
 * A slice of the training rows in columnar primitive form, built once per partition and cached: every Lloyd pass
 * reads these arrays and nothing else (and writes only the search hints), so a pass allocates no per-row objects and
 * never touches a Spark Row. Numeric values are already scaled; categories are already dictionary codes.
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
  /**
   * Per run of the fit ({@code hintSlots} of them, run-major: slot × size + row), the prototype the row was nearest
   * to in that run's last pass, as an unsigned byte, for the search to measure first; null when the block keeps
   * none. The only state a pass writes into the cached blocks, and only ever a hint: {@link NearestPrototype} gives
   * the same answer whatever it holds, so a block that was evicted and rebuilt, or a stale or torn value, costs speed,
   * never correctness. Allocated with the block, so the block manager counts it in the cached size.
   */
  final byte[] hints;
  final int hintSlots;

  FeatureBlock(int size, int numeric, int categorical, double[] values, int[] codes, double[] weights, long[] keys) {
    this(size, numeric, categorical, values, codes, weights, keys, 0);
  }

  FeatureBlock(int size, int numeric, int categorical, double[] values, int[] codes, double[] weights, long[] keys,
               int hintSlots) {
    this.size = size;
    this.numeric = numeric;
    this.categorical = categorical;
    this.values = values;
    this.codes = codes;
    this.weights = weights;
    this.keys = keys;
    this.hintSlots = hintSlots;
    this.hints = hintSlots > 0 ? new byte[hintSlots * size] : null;
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
