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
  private int runnerUp = -1;
  private double runnerUpDistance = Double.NaN;

  NearestPrototype(Prototypes prototypes) {
    this.prototypes = prototypes;
  }

  /** The distance to the prototype returned by the last {@link #find} call. */
  double distance() {
    return distance;
  }

  /** The runner-up found by the last {@link #findWithRunnerUp} call: -1 when there is only one prototype. */
  int runnerUp() {
    return runnerUp;
  }

  /** The distance to {@link #runnerUp()}; NaN when there is only one prototype. */
  double runnerUpDistance() {
    return runnerUpDistance;
  }

  /**
   * The nearest prototype, as {@link #find} returns it (the lowest index on a tie, the same distance bit for bit), and
   * the runner-up: the nearest of the others (again the lowest index on a tie, so a row equally near two prototypes
   * gets the lower as nearest and the higher as runner-up). Every prototype is measured: the bounds that let {@link
   * #find} skip one hold only against the best, and any prototype can be the runner-up.
   */
  int findWithRunnerUp(double[] values, int valueOffset, int[] codes, int codeOffset) {
    final Prototypes p = prototypes;
    int bestIndex = -1;
    int secondIndex = -1;
    double best = Double.POSITIVE_INFINITY;
    double second = Double.POSITIVE_INFINITY;
    for (int j = 0; j < p.k; j++) {
      double d = p.distance(values, valueOffset, codes, codeOffset, j);
      if (d < best) {
        secondIndex = bestIndex;
        second = best;
        bestIndex = j;
        best = d;
      } else if (d < second) {
        secondIndex = j;
        second = d;
      }
    }
    distance = best;
    runnerUp = secondIndex;
    runnerUpDistance = secondIndex < 0 ? Double.NaN : second;
    return bestIndex;
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
    final int categorical = p.categorical;
    final double gamma = p.gamma;
    final int[] modes = p.modes;
    final double[] quarters = p.quarters;

    int bestIndex = hint;
    double best = p.distance(values, valueOffset, codes, codeOffset, hint);
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
      double numericPart = p.numericPart(values, valueOffset, j);
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
