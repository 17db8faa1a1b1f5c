package dev.segments.cluster;

/**
 * Finds a row's nearest prototype, skipping work that cannot change the answer, as MLlib's k-means does: a prototype
 * whose norm bound already exceeds the best distance is not visited, nor one that the triangle inequality puts
 * farther than the best ({@link Prototypes#quarters}), and the search stops as soon as the row lies inside the best
 * prototype's inner ball (less than half way to any other prototype). Besides, a distance stops at the first
 * categorical mismatch that pushes it past the best (Kim's partial distance), and the search may start from a hint
 * (the prototype the row was nearest to in the last pass), which makes the first best distance small and the bounds
 * tight. The answer never depends on the hint: ties go to the lowest index, and every bound has a slack so that
 * rounding can never skip a prototype that truly wins or ties. One instance per task: it holds the last distance
 * found, so it must not be shared between threads.
 */
final class NearestPrototype {
  /** Slack on the bounds so that rounding in a bound can never skip a prototype that truly wins or ties. */
  private static final double BOUND_SLACK = 1 + 1e-9;

  private final Prototypes prototypes;
  private double distance;

  NearestPrototype(Prototypes prototypes) {
    this.prototypes = prototypes;
  }

  /** The distance to the prototype returned by the last {@link #find} call. */
  double distance() {
    return distance;
  }

  int find(double[] values, int valueOffset, double norm, int[] codes, int codeOffset) {
    return find(values, valueOffset, norm, codes, codeOffset, 0);
  }

  /**
   * @param hint the prototype to measure first, any index below k (the answer is the same whatever it is)
   */
  int find(double[] values, int valueOffset, double norm, int[] codes, int codeOffset, int hint) {
    final Prototypes p = prototypes;
    final int k = p.k;
    final int numeric = p.numeric;
    final int categorical = p.categorical;
    final double gamma = p.gamma;
    final double[] centers = p.centers;
    final int[] modes = p.modes;
    final double[] quarters = p.quarters;

    int bestIndex = hint;
    double best;
    {
      double numericPart = 0;
      for (int f = 0, c = hint * numeric; f < numeric; f++, c++) {
        double diff = values[valueOffset + f] - centers[c];
        numericPart += diff * diff;
      }
      int mismatches = 0;
      for (int f = 0, m = hint * categorical; f < categorical; f++, m++) {
        if (codes[codeOffset + f] != modes[m]) {
          mismatches++;
        }
      }
      best = numericPart + gamma * mismatches;
    }
    if (quarters != null && best * BOUND_SLACK < quarters[hint * k + hint]) {
      distance = best;
      return hint;
    }
    for (int j = 0; j < k; j++) {
      if (j == hint) {
        continue;
      }
      double limit = best * BOUND_SLACK;
      double gap = norm - p.norms[j];
      if (gap * gap > limit || (quarters != null && quarters[bestIndex * k + j] > limit)) {
        continue;
      }
      // j replaces the best on a tie only when its index is lower.
      boolean lower = j < bestIndex;
      double numericPart = 0;
      for (int f = 0, c = j * numeric; f < numeric; f++, c++) {
        double diff = values[valueOffset + f] - centers[c];
        numericPart += diff * diff;
      }
      if (lower ? numericPart > best : numericPart >= best) {
        continue;
      }
      int mismatches = 0;
      double total = numericPart;
      boolean beaten = false;
      for (int f = 0, m = j * categorical; f < categorical; f++, m++) {
        if (codes[codeOffset + f] != modes[m]) {
          mismatches++;
          total = numericPart + gamma * mismatches;
          if (lower ? total > best : total >= best) {
            beaten = true;
            break;
          }
        }
      }
      if (!beaten) {
        best = total;
        bestIndex = j;
        if (quarters != null && best * BOUND_SLACK < quarters[j * k + j]) {
          break;
        }
      }
    }
    distance = best;
    return bestIndex;
  }
}
