package dev.segments.analysis;

import dev.segments.cluster.Prototype;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.segments.cluster.KPrototypesModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * How sure each customer's segment is, and why the customer is in it rather than in the runner-up (the nearest other
 * segment), from the distances and the runner-up the model's transform gives in the same scan that assigns the
 * segment ({@link KPrototypesModel#setRunnerUpCol}); everything here is a column expression, so it adds no pass over
 * the data.
 *
 * <p>Confidence = (d2 - d1) / (d2 + d1), where d1 is the customer's K-Prototypes distance to its own prototype and
 * d2 the distance to the runner-up's (squared Euclidean on the scaled numeric features plus gamma per categorical
 * mismatch). It lies in [0, 1]: 0 when the customer is exactly as near the runner-up as its own prototype, 1 when it
 * sits on its own prototype; it depends only on the ratio d1 / d2 (0.1 means d1 is 82 % of d2). With one segment
 * (no runner-up) it is 1; when both distances are 0 (two identical prototypes) it is 0.
 *
 * <p>Reasons: the features that add the most to the distance to the runner-up beyond the distance to the own
 * prototype ({@link KPrototypesModel#distanceMargins}: numeric on the scaled axes, categorical gamma for a match with
 * the own mode that the runner-up's mode lacks), at most {@value #MAX_REASONS}, only those that pull toward the own
 * segment (a positive margin), largest first. Each says the customer's value and the two prototypes' values in
 * original units: {@code income 95k (segment ~95k, runner-up ~22k)}, {@code preferred channel: Text (segment: Text,
 * runner-up: Email)}.
 */
public final class AssignmentConfidence {
  static final int MAX_REASONS = 3;
  static final String SEPARATOR = "; ";

  private AssignmentConfidence() {}

  /** The confidence (see the class comment); null where the distance is null. */
  public static Column confidence(Column distance, Column runnerUpDistance) {
    return when(distance.isNull(), lit(null).cast(DataTypes.DoubleType))
        .when(runnerUpDistance.isNull(), lit(1.0))
        .when(runnerUpDistance.plus(distance).equalTo(0), lit(0.0))
        .otherwise(runnerUpDistance.minus(distance).divide(runnerUpDistance.plus(distance)));
  }

  /** Whether a customer is borderline: its confidence is below {@code threshold}. */
  public static Column borderline(Column confidence, double threshold) {
    return confidence.lt(threshold);
  }

  /**
   * The reasons joined with {@value #SEPARATOR}; null without a runner-up, empty when no feature pulls toward the own
   * segment.
   *
   * @param clusterCol the model's cluster index of the row
   * @param runnerUpCol the model's runner-up index of the row
   */
  public static Column reasons(KPrototypesModel model, String clusterCol, String runnerUpCol) {
    List<Column> fields = new ArrayList<>(List.of(col(clusterCol).cast("int"), col(runnerUpCol).cast("int")));
    for (String f : model.numericCols()) {
      fields.add(col(f).cast("double"));
    }
    for (String c : model.categoricalCols()) {
      fields.add(col(c).cast("string"));
    }
    Explainer explainer = new Explainer(model);
    return functions.udf((UDF1<Row, String>) explainer::explain, DataTypes.StringType)
        .apply(functions.struct(fields.toArray(Column[]::new)));
  }

  /** The model and its prototypes in original units, shipped with the expression to the executors. */
  private static final class Explainer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final KPrototypesModel model;
    private final String[] numeric;
    private final String[] categorical;
    private final Prototype[] prototypes;

    Explainer(KPrototypesModel model) {
      this.model = model;
      this.numeric = model.numericCols();
      this.categorical = model.categoricalCols();
      this.prototypes = model.prototypes().toArray(Prototype[]::new);
    }

    String explain(Row row) {
      if (row.isNullAt(0) || row.isNullAt(1)) {
        return null;
      }
      int own = row.getInt(0);
      int other = row.getInt(1);
      double[] values = new double[numeric.length];
      for (int f = 0; f < values.length; f++) {
        values[f] = row.getDouble(2 + f);
      }
      String[] categories = new String[categorical.length];
      for (int c = 0; c < categories.length; c++) {
        categories[c] = row.getString(2 + values.length + c);
      }
      double[] margins = model.distanceMargins(values, categories, own, other);
      List<Integer> pulling = new ArrayList<>();
      for (int f = 0; f < margins.length; f++) {
        if (margins[f] > 0) {
          pulling.add(f);
        }
      }
      pulling.sort(Comparator.comparingDouble((Integer f) -> -margins[f]).thenComparingInt(f -> f));
      List<String> reasons = new ArrayList<>();
      Prototype mine = prototypes[own];
      Prototype theirs = prototypes[other];
      for (int f : pulling.subList(0, Math.min(MAX_REASONS, pulling.size()))) {
        if (f < numeric.length) {
          reasons.add(label(numeric[f]) + " " + amount(values[f]) + " (segment ~" + amount(mine.numericCentre()[f])
              + ", runner-up ~" + amount(theirs.numericCentre()[f]) + ")");
        } else {
          int c = f - numeric.length;
          reasons.add(label(categorical[c]) + ": " + categories[c] + " (segment: " + mine.modes()[c]
              + ", runner-up: " + theirs.modes()[c] + ")");
        }
      }
      return String.join(SEPARATOR, reasons);
    }
  }

  /** A feature's name in words: {@code preferred_channel} becomes {@code preferred channel}. */
  static String label(String feature) {
    return feature.replace('_', ' ').trim();
  }

  /** An amount in a few characters: 95k, 1.2M, 1,302, 34, 2.35. */
  static String amount(double value) {
    double magnitude = Math.abs(value);
    if (magnitude >= 1e6) {
      return trimmed(String.format(Locale.ROOT, "%.1f", value / 1e6)) + "M";
    }
    if (magnitude >= 1e4) {
      return String.format(Locale.ROOT, "%.0fk", value / 1e3);
    }
    if (magnitude >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return trimmed(String.format(Locale.ROOT, "%.2f", value));
  }

  private static String trimmed(String decimal) {
    return decimal.contains(".") ? decimal.replaceAll("0+$", "").replaceAll("\\.$", "") : decimal;
  }
}
