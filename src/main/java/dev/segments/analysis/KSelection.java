package dev.segments.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
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
 * <p>Rule: the k with the highest mean silhouette wins. Every k whose silhouette is within {@code tolerance}
 * (absolute, default 0.01) of the best is taken as tied, since silhouettes estimated on a sample differ by about that
 * much by chance alone; among the tied, the one closest to the elbow of the cost curve wins (the elbow found by
 * {@link Kneedle} over all k's costs), and at equal distance the smaller k. With no elbow (fewer than three k, a flat
 * curve, or no significant knee) the smallest tied k wins. A NaN silhouette counts as -1, the worst possible.
 */
public final class KSelection {
  private KSelection() {}

  public static final double DEFAULT_SILHOUETTE_TOLERANCE = 0.01;

  /** One fitted k: its total clustering cost and its mean silhouette. */
  public record KResult(int k, double cost, double silhouette) {}

  /** A row of the k-selection table. */
  public record KRow(int k, double cost, double silhouette, boolean chosen) {}

  /**
   * The chosen k, the elbow of the cost curve when there is one, and the table of every k in increasing order.
   */
  public record Choice(int k, OptionalInt elbowK, List<KRow> table) {
    public Choice {
      table = List.copyOf(table);
    }

    /** The table as a Dataset with columns k, cost, silhouette, chosen. */
    public Dataset<Row> toDataset(SparkSession spark) {
      StructType schema = new StructType()
          .add("k", DataTypes.IntegerType, false)
          .add("cost", DataTypes.DoubleType, false)
          .add("silhouette", DataTypes.DoubleType, false)
          .add("chosen", DataTypes.BooleanType, false);
      List<Row> rows = new ArrayList<>();
      for (KRow row : table) {
        rows.add(RowFactory.create(row.k(), row.cost(), row.silhouette(), row.chosen()));
      }
      return spark.createDataFrame(rows, schema);
    }
  }

  public static Choice choose(List<KResult> results) {
    return choose(results, DEFAULT_SILHOUETTE_TOLERANCE);
  }

  public static Choice choose(List<KResult> results, double tolerance) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("no k results to choose from");
    }
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("silhouette tolerance must be ≥ 0, got " + tolerance);
    }
    List<KResult> byK = new ArrayList<>(results);
    byK.sort(Comparator.comparingInt(KResult::k));
    Set<Integer> seen = new HashSet<>();
    for (KResult r : byK) {
      if (!seen.add(r.k())) {
        throw new IllegalArgumentException("k = " + r.k() + " appears more than once");
      }
    }

    OptionalInt elbowK = elbow(byK);
    double best = byK.stream().mapToDouble(KSelection::silhouetteOrWorst).max().orElseThrow();
    KResult chosen = null;
    for (KResult r : byK) {
      if (silhouetteOrWorst(r) >= best - tolerance && (chosen == null || closerToElbow(r, chosen, elbowK))) {
        chosen = r;
      }
    }
    List<KRow> table = new ArrayList<>();
    for (KResult r : byK) {
      table.add(new KRow(r.k(), r.cost(), r.silhouette(), r == chosen));
    }
    return new Choice(chosen.k(), elbowK, table);
  }

  private static OptionalInt elbow(List<KResult> byK) {
    double[] ks = byK.stream().mapToDouble(KResult::k).toArray();
    double[] costs = byK.stream().mapToDouble(KResult::cost).toArray();
    OptionalInt knee = Kneedle.knee(ks, costs, Kneedle.DEFAULT_SENSITIVITY);
    return knee.isPresent() ? OptionalInt.of(byK.get(knee.getAsInt()).k()) : OptionalInt.empty();
  }

  /** Candidates arrive in increasing k, so "strictly closer" keeps the smaller k at equal distance. */
  private static boolean closerToElbow(KResult candidate, KResult incumbent, OptionalInt elbowK) {
    if (elbowK.isEmpty()) {
      return false;
    }
    int elbow = elbowK.getAsInt();
    return Math.abs(candidate.k() - elbow) < Math.abs(incumbent.k() - elbow);
  }

  private static double silhouetteOrWorst(KResult r) {
    return Double.isNaN(r.silhouette()) ? -1 : r.silhouette();
  }
}
