package dev.segments.cluster;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Function1;

/**
 * The parameters {@link KPrototypes} and {@link KPrototypesModel} share: which columns are features, where the
 * results go and what happens to rows that cannot be clustered. Each is declared once here, with its doc, default and
 * validator; the classes hold the instances. The accessors end in {@code Param} because the model's {@code
 * numericCols()} and {@code categoricalCols()} return the names.
 */
public interface KPrototypesParams extends Params {
  /** The values of {@code handleInvalid}, as Spark's own feature transformers name them. */
  String[] HANDLE_INVALID = {"error", "skip", "keep"};

  StringArrayParam numericColsParam();

  StringArrayParam categoricalColsParam();

  Param<String> predictionColParam();

  Param<String> distanceColParam();

  Param<String> handleInvalidParam();

  default String[] getNumericCols() {
    return getOrDefault(numericColsParam());
  }

  default String[] getCategoricalCols() {
    return getOrDefault(categoricalColsParam());
  }

  default String getPredictionCol() {
    return getOrDefault(predictionColParam());
  }

  default String getDistanceCol() {
    return getOrDefault(distanceColParam());
  }

  default String getHandleInvalid() {
    return getOrDefault(handleInvalidParam());
  }

  static StringArrayParam newNumericCols(Params owner) {
    return new StringArrayParam(owner, "numericCols", "numeric feature columns (scaled inside the model)");
  }

  static StringArrayParam newCategoricalCols(Params owner) {
    return new StringArrayParam(owner, "categoricalCols", "categorical feature columns (compared by equality)");
  }

  static Param<String> newPredictionCol(Params owner) {
    return new Param<>(owner, "predictionCol", "output column for the cluster index (int)");
  }

  static Param<String> newDistanceCol(Params owner) {
    return new Param<>(owner, "distanceCol", "output column for the distance to the assigned prototype (double)");
  }

  /**
   * Rows K-Prototypes cannot use are those with a null, NaN or infinite numeric feature or a null category (and, at
   * fit, a null, NaN, infinite or negative weight). The choices follow Spark's VectorAssembler and StringIndexer
   * (Spark 3.5): 'error' fails, 'skip' drops the rows; 'keep' has no extra bucket to put them in here, so it keeps
   * them in the output with a null prediction and distance (and, like 'skip', leaves them out of the fit).
   */
  static Param<String> newHandleInvalid(Params owner) {
    return new Param<>(owner, "handleInvalid", "rows with a null, NaN or infinite feature (or weight, at fit): 'error'"
        + " fails naming the column and the row, 'skip' drops them, 'keep' leaves them out of the fit and gives them a"
        + " null prediction and distance at transform", ParamValidators.inArray(HANDLE_INVALID));
  }

  /**
   * A validator for finite numbers above {@code lower}: {@code ParamValidators.gt} refuses NaN (every comparison with
   * it is false) but lets +Infinity through.
   */
  static Function1<Object, Object> finiteAbove(double lower) {
    return (Function1<Object, Object> & Serializable) value -> {
      double v = ((Number) value).doubleValue();
      return Double.isFinite(v) && v > lower;
    };
  }

  /** A validator for finite numbers at or above {@code lower}; see {@link #finiteAbove}. */
  static Function1<Object, Object> finiteAtLeast(double lower) {
    return (Function1<Object, Object> & Serializable) value -> {
      double v = ((Number) value).doubleValue();
      return Double.isFinite(v) && v >= lower;
    };
  }

  /** Sets the shared defaults; call from the constructor after the params exist. */
  default void setSharedDefaults() {
    setDefault(numericColsParam(), new String[0]);
    setDefault(categoricalColsParam(), new String[0]);
    setDefault(predictionColParam(), "prediction");
    setDefault(distanceColParam(), "distance");
    setDefault(handleInvalidParam(), "error");
  }

  /** Checks the feature columns and returns the schema with the two output columns added. */
  default StructType validateAndTransformSchema(StructType schema) {
    String[] numeric = getNumericCols();
    String[] categorical = getCategoricalCols();
    if (numeric.length + categorical.length == 0) {
      throw new IllegalArgumentException("K-Prototypes needs at least one numeric or categorical column");
    }
    for (String name : numeric) {
      StructField field = field(schema, name, "numeric");
      if (!(field.dataType() instanceof NumericType)) {
        throw new IllegalArgumentException("numeric column '" + name + "' has type "
            + field.dataType().simpleString() + "; expected a number type");
      }
    }
    for (String name : categorical) {
      field(schema, name, "categorical");
    }
    for (String output : new String[] {getPredictionCol(), getDistanceCol()}) {
      if (Arrays.asList(schema.fieldNames()).contains(output)) {
        throw new IllegalArgumentException("output column '" + output + "' already exists in the input");
      }
    }
    // Only 'keep' leaves rows without a prediction.
    boolean nullable = getHandleInvalid().equals("keep");
    return schema.add(getPredictionCol(), IntegerType, nullable).add(getDistanceCol(), DoubleType, nullable);
  }

  private static StructField field(StructType schema, String name, String kind) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException(kind + " column '" + name + "' is not in the input; columns are "
          + String.join(", ", schema.fieldNames()));
    }
    return schema.apply(name);
  }
}
