package dev.segments.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HungarianAssignmentTest {

  @Test
  void beatsGreedyWhenTheCheapestPairIsATrap() {
    // Greedy takes (0,0)=1 first and is then forced into (1,1)=100: total 101. Optimal: (0,1)+(1,0) = 2+2 = 4.
    double[][] cost = {{1, 2}, {2, 100}};
    assertArrayEquals(new int[] {1, 0}, HungarianAssignment.solve(cost));
  }

  @Test
  void leavesRowsUnmatchedWhenThereAreMoreRowsThanColumns() {
    // Column 0 is cheapest for row 1 (1), column 1 for row 2 (0); row 0 costs 5 anywhere.
    double[][] cost = {{5, 5}, {1, 9}, {9, 0}};
    assertArrayEquals(new int[] {-1, 0, 1}, HungarianAssignment.solve(cost));
  }

  @Test
  void matchesBruteForceOnRandomRectangularMatrices() {
    Random random = new Random(42);
    for (int trial = 0; trial < 300; trial++) {
      int rows = 1 + random.nextInt(6);
      int cols = 1 + random.nextInt(6);
      double[][] cost = new double[rows][cols];
      for (double[] row : cost) {
        for (int c = 0; c < cols; c++) {
          // Small integers make ties frequent, which is where assignment bugs hide.
          row[c] = trial % 2 == 0 ? random.nextInt(5) : random.nextDouble() * 100 - 50;
        }
      }
      int[] match = HungarianAssignment.solve(cost);
      assertValidAssignment(match, rows, cols);
      assertEquals(bruteForceMinimum(cost), total(cost, match), 1e-9, "trial " + trial);
    }
  }

  @Test
  void rejectsNonFiniteCosts() {
    assertThrows(IllegalArgumentException.class,
        () -> HungarianAssignment.solve(new double[][] {{1, Double.NaN}}));
  }

  private static void assertValidAssignment(int[] match, int rows, int cols) {
    Set<Integer> usedColumns = new HashSet<>();
    int matched = 0;
    for (int c : match) {
      if (c >= 0) {
        matched++;
        assertEquals(true, usedColumns.add(c), "column used twice");
      }
    }
    assertEquals(Math.min(rows, cols), matched);
  }

  private static double total(double[][] cost, int[] match) {
    double sum = 0;
    for (int r = 0; r < match.length; r++) {
      if (match[r] >= 0) {
        sum += cost[r][match[r]];
      }
    }
    return sum;
  }

  /** Every injective map from the smaller side into the larger, by recursion. */
  private static double bruteForceMinimum(double[][] cost) {
    int rows = cost.length;
    int cols = cost[0].length;
    boolean transpose = rows > cols;
    int small = Math.min(rows, cols);
    int large = Math.max(rows, cols);
    return search(cost, transpose, 0, small, new boolean[large]);
  }

  private static double search(double[][] cost, boolean transpose, int item, int small, boolean[] used) {
    if (item == small) {
      return 0;
    }
    double best = Double.POSITIVE_INFINITY;
    for (int other = 0; other < used.length; other++) {
      if (!used[other]) {
        used[other] = true;
        double c = transpose ? cost[other][item] : cost[item][other];
        best = Math.min(best, c + search(cost, transpose, item + 1, small, used));
        used[other] = false;
      }
    }
    return best;
  }
}
