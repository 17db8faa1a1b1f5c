package dev.segments.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * Hubert and Arabie's adjusted Rand index of two partitions of the same items (1 = same partition, about 0 = no
 * closer than chance), from labelings or from their contingency table.
 */
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
    return index(cells.values().stream().mapToDouble(AdjustedRandIndex::pairs).sum(),
        rows.values().stream().mapToDouble(AdjustedRandIndex::pairs).sum(),
        columns.values().stream().mapToDouble(AdjustedRandIndex::pairs).sum(), a.length);
  }

  /** The index of a contingency table of {@code ka} rows by {@code kb} columns, row-major. */
  static double ofTable(long[] table, int ka, int kb) {
    double[] rowSums = new double[ka];
    double[] columnSums = new double[kb];
    double cellPairs = 0;
    double n = 0;
    for (int i = 0; i < ka; i++) {
      for (int j = 0; j < kb; j++) {
        long count = table[i * kb + j];
        rowSums[i] += count;
        columnSums[j] += count;
        cellPairs += pairs(count);
        n += count;
      }
    }
    double rowPairs = 0;
    for (double s : rowSums) {
      rowPairs += pairs(s);
    }
    double columnPairs = 0;
    for (double s : columnSums) {
      columnPairs += pairs(s);
    }
    return index(cellPairs, rowPairs, columnPairs, n);
  }

  private static double index(double cellPairs, double rowPairs, double columnPairs, double n) {
    double expected = rowPairs * columnPairs / pairs(n);
    double max = (rowPairs + columnPairs) / 2;
    return max == expected ? 1.0 : (cellPairs - expected) / (max - expected);
  }

  private static double pairs(double n) {
    return n * (n - 1) / 2;
  }
}
