package dev.segments.cluster;

/**
 * Finds a row's nearest prototype, skipping work that cannot change the answer: a prototype whose norm bound
 * already exceeds the best distance is not visited (as MLlib's k-means does), and the categorical part of a
 * distance stops at the first mismatch that pushes it past the best (Kim's partial distance). Ties go to the lowest
 * index. One instance per task: it holds the last distance found, so it must not be shared between threads.
 */
final class NearestPrototype {
  /** Slack on the norm bound so that rounding in the bound can never skip a prototype that truly wins. */
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
    final Prototypes p = prototypes;
    final int numeric = p.numeric;
    final int categorical = p.categorical;
    final double gamma = p.gamma;
    double best = Double.POSITIVE_INFINITY;
    int bestIndex = 0;
    for (int j = 0; j < p.k; j++) {
      double gap = norm - p.norms[j];
      if (gap * gap > best * BOUND_SLACK) {
        continue;
      }
      double numericPart = 0;
      for (int f = 0, c = j * numeric; f < numeric; f++, c++) {
        double diff = values[valueOffset + f] - p.centers[c];
        numericPart += diff * diff;
      }
      if (numericPart >= best) {
        continue;
      }
      int mismatches = 0;
      double total = numericPart;
      for (int f = 0, m = j * categorical; f < categorical; f++, m++) {
        if (codes[codeOffset + f] != p.modes[m]) {
          mismatches++;
          total = numericPart + gamma * mismatches;
          if (total >= best) {
            break;
          }
        }
      }
      if (total < best) {
        best = total;
        bestIndex = j;
      }
    }
    distance = best;
    return bestIndex;
  }
}
