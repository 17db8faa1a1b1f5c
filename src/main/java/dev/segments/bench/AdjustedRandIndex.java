package dev.segments.bench;

import java.util.HashMap;
import java.util.Map;

/** Hubert and Arabie's adjusted Rand index of two labelings of the same items (1 = same partition, ~0 = chance). */
public final class AdjustedRandIndex {
  private AdjustedRandIndex() {}

  /** The index of two labelings of the same items, in the same order; 1 when both put every item in one group. */
  public static double of(int[] a, int[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("labelings of " + a.length + " and " + b.length + " items");
    }
    Map<Long, Long> cells = new HashMap<>();
    Map<Integer, Long> rows = new HashMap<>();
    Map<Integer, Long> columns = new HashMap<>();
    for (int i = 0; i < a.length; i++) {
      cells.merge(((long) a[i] << 32) | (b[i] & 0xffffffffL), 1L, Long::sum);
      rows.merge(a[i], 1L, Long::sum);
      columns.merge(b[i], 1L, Long::sum);
    }
    double index = cells.values().stream().mapToDouble(AdjustedRandIndex::pairs).sum();
    double sumRows = rows.values().stream().mapToDouble(AdjustedRandIndex::pairs).sum();
    double sumColumns = columns.values().stream().mapToDouble(AdjustedRandIndex::pairs).sum();
    double expected = sumRows * sumColumns / pairs(a.length);
    double max = (sumRows + sumColumns) / 2;
    return max == expected ? 1.0 : (index - expected) / (max - expected);
  }

  private static double pairs(long n) {
    return n * (n - 1) / 2.0;
  }
}
