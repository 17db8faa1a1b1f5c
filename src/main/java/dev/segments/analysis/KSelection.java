package dev.segments.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Chooses the number of segments from the results of several k.
 *
 * <p>Rule, in order:
 * <ol>
 *   <li>Size first: a k whose smallest segment holds less than {@code minSegmentShare} (default 0.03) of the
 *       customers is out, since a segment of a few customers is too small to plan a campaign for and is often a
 *       handful of outliers given their own prototype. When every k has such a segment, none is ruled out for it
 *       (the chosen k's reason says so).</li>
 *   <li>Stability first among similar silhouettes: a k is stable when its stability (the adjusted Rand index between
 *       its segments and those of its other starts) is at least {@code minStability} (default 0.8), or was not
 *       measured. When some stable k has a silhouette within {@code stabilityMargin} (default 0.05) of the best
 *       silhouette of all, every unstable k is out: segments that change with the seed are not segments to act on,
 *       and a similar silhouette is no reason to prefer them.</li>
 *   <li>Among the k still in, the highest mean silhouette wins. Every k within {@code silhouetteTolerance} (absolute,
 *       default 0.01) of that best is taken as tied, since silhouettes estimated on a sample differ by about that
 *       much by chance alone; among the tied, the one closest to the elbow of the cost curve wins (the elbow found by
 *       {@link Kneedle} over all k's costs), and at equal distance the smaller k. With no elbow (fewer than three k, a
 *       flat curve, or no significant knee) the smallest tied k wins.</li>
 * </ol>
 * A NaN silhouette counts as -1, the worst possible. Every row of the table says why its k was or was not chosen.
 */
public final class KSelection {
  private KSelection() {}

  /** The thresholds of the rule. */
  public record Rules(double silhouetteTolerance, double minStability, double stabilityMargin,
      double minSegmentShare) {
    public Rules {
      if (!(minSegmentShare >= 0 && minSegmentShare < 1)) {
        throw new IllegalArgumentException("minimum segment share must be within 0..1, got " + minSegmentShare);
      }
      if (!(silhouetteTolerance >= 0)) {
        throw new IllegalArgumentException("silhouette tolerance must be ≥ 0, got " + silhouetteTolerance);
      }
      if (!(minStability >= -1 && minStability <= 1)) {
        throw new IllegalArgumentException("minimum stability must be within -1..1, got " + minStability);
      }
      if (!(stabilityMargin >= 0)) {
        throw new IllegalArgumentException("stability margin must be ≥ 0, got " + stabilityMargin);
      }
    }
  }

  /**
   * One fitted k: its total clustering cost, its mean silhouette, its stability and the share of customers in its
   * smallest segment (NaN: not measured).
   */
  public record KScore(int k, double cost, double silhouette, double stability, double smallestShare) {}

  /**
   * A row of the k-selection table (and of the report's k chart): a k's scores, with why it was or was not chosen.
   *
   * @param silhouette mean silhouette at this k; {@code NaN} when not computed
   * @param stability agreement (adjusted Rand index) between this k's fits from different seeds; {@code NaN} when not
   *     measured
   * @param chosen whether this k is the one the run kept
   * @param reason why this k was or was not chosen
   */
  public record KRow(int k, double cost, double silhouette, double stability, boolean chosen, String reason) {}

  /**
   * The chosen k, the elbow of the cost curve when there is one, and the table of every k in increasing order.
   */
  public record Choice(int k, OptionalInt elbowK, List<KRow> table) {
    public Choice {
      table = List.copyOf(table);
    }

    /** Why the chosen k was chosen. */
    public String reason() {
      return table.stream().filter(KRow::chosen).findFirst().orElseThrow().reason();
    }

    /** The table as a Dataset with columns k, cost, silhouette, stability (null: not measured), chosen, reason. */
    public Dataset<Row> toDataset(SparkSession spark) {
      StructType schema = new StructType()
          .add("k", DataTypes.IntegerType, false)
          .add("cost", DataTypes.DoubleType, false)
          .add("silhouette", DataTypes.DoubleType, false)
          .add("stability", DataTypes.DoubleType, true)
          .add("chosen", DataTypes.BooleanType, false)
          .add("reason", DataTypes.StringType, false);
      List<Row> rows = new ArrayList<>();
      for (KRow row : table) {
        rows.add(RowFactory.create(row.k(), row.cost(), row.silhouette(),
            Double.isNaN(row.stability()) ? null : row.stability(), row.chosen(), row.reason()));
      }
      return spark.createDataFrame(rows, schema);
    }
  }

  public static Choice choose(List<KScore> results, Rules rules) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("no k results to choose from");
    }
    List<KScore> byK = new ArrayList<>(results);
    byK.sort(Comparator.comparingInt(KScore::k));
    Set<Integer> seen = new HashSet<>();
    for (KScore r : byK) {
      if (!seen.add(r.k())) {
        throw new IllegalArgumentException("k = " + r.k() + " appears more than once");
      }
    }

    OptionalInt elbowK = elbow(byK);
    List<KScore> largeEnough = byK.stream().filter(r -> largeEnough(r, rules)).toList();
    List<KScore> sized = largeEnough.isEmpty() ? byK : largeEnough;
    double bestOfAll = sized.stream().mapToDouble(KSelection::silhouetteOrWorst).max().orElseThrow();
    boolean stableNearBest = sized.stream()
        .anyMatch(r -> stable(r, rules) && silhouetteOrWorst(r) >= bestOfAll - rules.stabilityMargin());
    List<KScore> eligible = sized.stream().filter(r -> !stableNearBest || stable(r, rules)).toList();
    double best = eligible.stream().mapToDouble(KSelection::silhouetteOrWorst).max().orElseThrow();
    KScore chosen = null;
    List<KScore> tied = new ArrayList<>();
    for (KScore r : eligible) {
      if (silhouetteOrWorst(r) >= best - rules.silhouetteTolerance()) {
        tied.add(r);
        if (chosen == null || closerToElbow(r, chosen, elbowK)) {
          chosen = r;
        }
      }
    }
    List<KRow> table = new ArrayList<>();
    for (KScore r : byK) {
      String reason = r == chosen ? chosenBecause(r, tied, elbowK, byK, sized, eligible, rules)
          : !sized.contains(r) ? tooSmall(r, rules)
          : !eligible.contains(r) ? "unstable: stability " + format(r.stability()) + " < " + format(rules.minStability())
              + ", and a stable k has a silhouette within " + format(rules.stabilityMargin()) + " of the best"
          : tied.contains(r) ? "tied on silhouette, but farther from the cost elbow"
              + (elbowK.isPresent() ? " (k=" + elbowK.getAsInt() + ")" : "") + " or larger"
          : "silhouette " + format(silhouetteOrWorst(r)) + " below the best " + format(best);
      table.add(new KRow(r.k(), r.cost(), r.silhouette(), r.stability(), r == chosen, reason));
    }
    return new Choice(chosen.k(), elbowK, table);
  }

  private static String chosenBecause(KScore chosen, List<KScore> tied, OptionalInt elbowK, List<KScore> all,
                                      List<KScore> sized, List<KScore> eligible, Rules rules) {
    StringBuilder reason = new StringBuilder();
    if (tied.size() == 1) {
      reason.append("highest Gower silhouette (").append(format(chosen.silhouette())).append(")");
    } else {
      reason.append("silhouette ").append(format(chosen.silhouette())).append(" tied within ")
          .append(format(rules.silhouetteTolerance())).append(" with k=")
          .append(String.join(", ", tied.stream().filter(r -> r != chosen).map(r -> String.valueOf(r.k())).toList()))
          .append(elbowK.isPresent() ? "; nearest the cost elbow (k=" + elbowK.getAsInt() + ")" : "; the smallest");
    }
    if (!Double.isNaN(chosen.stability())) {
      reason.append(stable(chosen, rules)
          ? "; stable (stability " + format(chosen.stability()) + ")"
          : "; stability " + format(chosen.stability()) + ", below " + format(rules.minStability())
              + ", but no stable k has a silhouette within " + format(rules.stabilityMargin()) + " of the best");
    }
    List<KScore> dropped = sized.stream().filter(r -> !eligible.contains(r)
        && silhouetteOrWorst(r) > silhouetteOrWorst(chosen)).toList();
    if (!dropped.isEmpty()) {
      reason.append("; preferred to ").append(String.join(", ", dropped.stream().map(r -> "k=" + r.k()
          + " (silhouette " + format(r.silhouette()) + ", stability " + format(r.stability()) + ")").toList()))
          .append(", whose segments change with the seed");
    }
    List<KScore> small = all.stream().filter(r -> !sized.contains(r)
        && silhouetteOrWorst(r) > silhouetteOrWorst(chosen)).toList();
    if (!small.isEmpty()) {
      reason.append("; preferred to ").append(String.join(", ", small.stream().map(r -> "k=" + r.k()
          + " (silhouette " + format(r.silhouette()) + ", smallest segment " + percent(r.smallestShare()) + ")")
          .toList())).append(", whose smallest segment is below the minimum share ")
          .append(percent(rules.minSegmentShare()));
    }
    if (!largeEnough(chosen, rules)) {
      reason.append("; its smallest segment holds ").append(percent(chosen.smallestShare()))
          .append(" of the customers, below the minimum share ").append(percent(rules.minSegmentShare()))
          .append(all.size() > 1 ? ", as every k's does" : "");
    }
    return reason.toString();
  }

  /**
   * A warning for each segment holding less than {@code minSegmentShare} of the customers, naming the segment and its
   * share: a fixed k (clustering.k) is used whatever its sizes, as is the k chosen when every k has such a segment.
   */
  public static List<String> smallSegmentWarnings(List<SegmentProfile> profiles, double minSegmentShare) {
    return profiles.stream().filter(p -> p.share() < minSegmentShare)
        .map(p -> "segment " + p.segmentId() + " holds " + percent(p.share()) + " of the customers (" + p.size()
            + "), below analysis.min_segment_share " + percent(minSegmentShare)
            + ": too small to plan for on its own")
        .toList();
  }

  private static String tooSmall(KScore r, Rules rules) {
    return "smallest segment holds " + percent(r.smallestShare()) + " of the customers, below the minimum share "
        + percent(rules.minSegmentShare());
  }

  /** A k whose smallest segment's share was not measured counts as large enough. */
  private static boolean largeEnough(KScore r, Rules rules) {
    return Double.isNaN(r.smallestShare()) || r.smallestShare() >= rules.minSegmentShare();
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * share);
  }

  private static boolean stable(KScore r, Rules rules) {
    return Double.isNaN(r.stability()) || r.stability() >= rules.minStability();
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static OptionalInt elbow(List<KScore> byK) {
    double[] ks = byK.stream().mapToDouble(KScore::k).toArray();
    double[] costs = byK.stream().mapToDouble(KScore::cost).toArray();
    OptionalInt knee = Kneedle.knee(ks, costs, Kneedle.DEFAULT_SENSITIVITY);
    return knee.isPresent() ? OptionalInt.of(byK.get(knee.getAsInt()).k()) : OptionalInt.empty();
  }

  /** Candidates arrive in increasing k, so "strictly closer" keeps the smaller k at equal distance. */
  private static boolean closerToElbow(KScore candidate, KScore incumbent, OptionalInt elbowK) {
    if (elbowK.isEmpty()) {
      return false;
    }
    int elbow = elbowK.getAsInt();
    return Math.abs(candidate.k() - elbow) < Math.abs(incumbent.k() - elbow);
  }

  private static double silhouetteOrWorst(KScore r) {
    return Double.isNaN(r.silhouette()) ? -1 : r.silhouette();
  }
}
