package dev.segments.analysis;

import java.util.Arrays;

/**
 * Minimum-cost assignment (Kuhn-Munkres) for a rectangular cost matrix in O(n² m), n = min(rows, cols): the
 * shortest-augmenting-path form with row and column potentials. Every row is matched when rows ≤ columns, every
 * column otherwise; the rest stay unmatched.
 */
final class HungarianAssignment {
  private HungarianAssignment() {}

  /** For each row, the column it is assigned to, or -1 when it is left unmatched (more rows than columns). */
  static int[] solve(double[][] cost) {
    int rows = cost.length;
    int cols = rows == 0 ? 0 : cost[0].length;
    for (int r = 0; r < rows; r++) {
      if (cost[r].length != cols) {
        throw new IllegalArgumentException("cost matrix row " + r + " has " + cost[r].length
            + " entries, expected " + cols);
      }
      for (double c : cost[r]) {
        if (!Double.isFinite(c)) {
          throw new IllegalArgumentException("cost matrix row " + r + " holds a non-finite cost: " + c);
        }
      }
    }
    int[] rowToCol = new int[rows];
    Arrays.fill(rowToCol, -1);
    if (rows == 0 || cols == 0) {
      return rowToCol;
    }
    if (rows <= cols) {
      int[] colOfRow = solveWide(cost, rows, cols, false);
      System.arraycopy(colOfRow, 0, rowToCol, 0, rows);
    } else {
      int[] rowOfCol = solveWide(cost, cols, rows, true);
      for (int c = 0; c < cols; c++) {
        rowToCol[rowOfCol[c]] = c;
      }
    }
    return rowToCol;
  }

  /**
   * Assigns each of the {@code n} "left" items to a distinct one of the {@code m ≥ n} "right" items; when
   * {@code transposed}, the left items are the matrix's columns. Indices below are 1-based, index 0 being the
   * virtual start of each augmenting path.
   */
  private static int[] solveWide(double[][] cost, int n, int m, boolean transposed) {
    double[] u = new double[n + 1];
    double[] v = new double[m + 1];
    int[] leftOfRight = new int[m + 1];
    int[] way = new int[m + 1];
    double[] minv = new double[m + 1];
    boolean[] used = new boolean[m + 1];
    for (int i = 1; i <= n; i++) {
      leftOfRight[0] = i;
      int j0 = 0;
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      Arrays.fill(used, false);
      do {
        used[j0] = true;
        int i0 = leftOfRight[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = 0;
        for (int j = 1; j <= m; j++) {
          if (!used[j]) {
            double c = transposed ? cost[j - 1][i0 - 1] : cost[i0 - 1][j - 1];
            double reduced = c - u[i0] - v[j];
            if (reduced < minv[j]) {
              minv[j] = reduced;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= m; j++) {
          if (used[j]) {
            u[leftOfRight[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (leftOfRight[j0] != 0);
      do {
        int j1 = way[j0];
        leftOfRight[j0] = leftOfRight[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] rightOfLeft = new int[n];
    for (int j = 1; j <= m; j++) {
      if (leftOfRight[j] != 0) {
        rightOfLeft[leftOfRight[j] - 1] = j - 1;
      }
    }
    return rightOfLeft;
  }
}
