package dev.segments.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import dev.segments.cluster.Prototype;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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
 * <p>New segments get fresh ids above every id ever used, on any earlier night, so a retired id is never given to
 * another group (a dashboard's segment 4 means the same group or nothing); they are handed out in order of cluster
 * size, largest first (ties: lower cluster index first). The history is carried by the {@value #HIGH_WATER_COLUMN}
 * column of every night's {@code segment_profiles}: the highest id used up to that night, so the previous run's
 * profiles alone tell it. With no previous run every segment is new, so ids are 1..k by size.
 */
public final class StableSegmentIds {
  /** The column holding a stable segment id, in every output table that has one. */
  public static final String SEGMENT_ID = "segment_id";
  /** The segment_profiles column holding the highest segment id used up to and including that run. */
  public static final String HIGH_WATER_COLUMN = "segment_id_high_water";

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
   * @param highestIdUsed the highest segment id used on any earlier night (see {@link #highestIdUsed}); 0 for none
   * @param current tonight's prototypes by cluster index
   * @param currentSizes tonight's cluster sizes by cluster index (orders the fresh ids)
   */
  public Map<Integer, Integer> assign(Map<Integer, Prototype> previous, int highestIdUsed,
      Map<Integer, Prototype> current, Map<Integer, Long> currentSizes) {
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
    int nextId = Math.max(highestIdUsed, previousIds.isEmpty() ? 0 : previousIds.get(previousIds.size() - 1)) + 1;
    for (int cluster : unmatched) {
      ids.put(cluster, nextId++);
    }
    return ids;
  }

  /**
   * The highest segment id used up to the run whose segment_profiles these are: its {@value #HIGH_WATER_COLUMN}, or
   * for a run written before that column existed, its largest segment id; 0 for an empty table.
   */
  public static int highestIdUsed(Dataset<Row> previousProfiles) {
    String column = List.of(previousProfiles.columns()).contains(HIGH_WATER_COLUMN) ? HIGH_WATER_COLUMN
        : SEGMENT_ID;
    Row row = previousProfiles.agg(max(col(column).cast("int"))).first();
    return row.isNullAt(0) ? 0 : row.getInt(0);
  }

  /** The highest id used up to tonight: the earlier nights' and tonight's. */
  public static int highestIdUsed(int before, Map<Integer, Integer> tonight) {
    return Math.max(before, tonight.values().stream().mapToInt(Integer::intValue).max().orElse(0));
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
