package dev.segments.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Gives tonight's clusters the segment ids of the previous run's segments they continue, so a segment keeps its id
 * (and dashboards their meaning) from one run to the next.
 *
 * <p>Matching is a minimum-total-cost assignment (Hungarian) between previous segments and tonight's clusters. The
 * cost of a pair is the squared Euclidean distance between the numeric centres, each feature divided by tonight's
 * overall standard deviation of that feature (so both runs are measured in one scale; a feature with zero deviation
 * is ignored), plus {@code gamma} for each categorical mode that differs. A matched pair whose cost exceeds
 * {@code maxCost} is not a continuation: the cluster is a new segment.
 *
 * <p>New segments get fresh ids after the largest previous id, handed out in order of cluster size, largest first
 * (ties: lower cluster index first). With no previous run every segment is new, so ids are 1..k by size.
 */
public final class StableSegmentIds {
  private final double[] numericStd;
  private final double gamma;
  private final double maxCost;

  /**
   * @param numericStd tonight's overall standard deviation of each numeric feature, in original units
   * @param gamma cost of one categorical mode mismatch, in units of squared standard deviations
   * @param maxCost the largest pair cost still taken as the same segment
   */
  public StableSegmentIds(double[] numericStd, double gamma, double maxCost) {
    if (!(gamma >= 0) || !(maxCost >= 0)) {
      throw new IllegalArgumentException("gamma and maxCost must be ≥ 0, got " + gamma + " and " + maxCost);
    }
    this.numericStd = numericStd.clone();
    this.gamma = gamma;
    this.maxCost = maxCost;
  }

  /**
   * Maps each of tonight's cluster indices to a stable segment id.
   *
   * @param previous the previous run's prototypes by segment id; empty when there was no previous run
   * @param current tonight's prototypes by cluster index
   * @param currentSizes tonight's cluster sizes by cluster index (orders the fresh ids)
   */
  public Map<Integer, Integer> assign(
      Map<Integer, Prototype> previous, Map<Integer, Prototype> current, Map<Integer, Long> currentSizes) {
    List<Integer> previousIds = new ArrayList<>(new TreeMap<>(previous).keySet());
    List<Integer> clusters = new ArrayList<>(new TreeMap<>(current).keySet());
    for (int cluster : clusters) {
      Objects.requireNonNull(currentSizes.get(cluster), () -> "no size given for cluster " + cluster);
    }
    double[][] cost = new double[clusters.size()][previousIds.size()];
    for (int c = 0; c < clusters.size(); c++) {
      for (int p = 0; p < previousIds.size(); p++) {
        cost[c][p] = cost(current.get(clusters.get(c)), previous.get(previousIds.get(p)));
      }
    }
    int[] match = HungarianAssignment.solve(cost);

    Map<Integer, Integer> ids = new TreeMap<>();
    List<Integer> unmatched = new ArrayList<>();
    for (int c = 0; c < clusters.size(); c++) {
      if (match[c] >= 0 && cost[c][match[c]] <= maxCost) {
        ids.put(clusters.get(c), previousIds.get(match[c]));
      } else {
        unmatched.add(clusters.get(c));
      }
    }
    unmatched.sort(Comparator.<Integer>comparingLong(currentSizes::get).reversed()
        .thenComparing(Comparator.naturalOrder()));
    int nextId = previousIds.isEmpty() ? 1 : previousIds.get(previousIds.size() - 1) + 1;
    for (int cluster : unmatched) {
      ids.put(cluster, nextId++);
    }
    return ids;
  }

  /** The matching cost between two prototypes (see the class comment). */
  double cost(Prototype a, Prototype b) {
    double[] x = a.numericCentre();
    double[] y = b.numericCentre();
    String[] modesA = a.modes();
    String[] modesB = b.modes();
    if (x.length != numericStd.length || y.length != numericStd.length || modesA.length != modesB.length) {
      throw new IllegalArgumentException("prototypes do not have the same features: " + x.length + " and "
          + y.length + " numeric centres for " + numericStd.length + " standard deviations, "
          + modesA.length + " and " + modesB.length + " modes");
    }
    double total = 0;
    for (int f = 0; f < x.length; f++) {
      if (numericStd[f] > 0) {
        double d = (x[f] - y[f]) / numericStd[f];
        total += d * d;
      }
    }
    for (int c = 0; c < modesA.length; c++) {
      if (!Objects.equals(modesA[c], modesB[c])) {
        total += gamma;
      }
    }
    return total;
  }
}
