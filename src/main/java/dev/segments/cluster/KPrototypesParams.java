package dev.segments.cluster;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;

import java.util.Arrays;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The parameters {@link KPrototypes} and {@link KPrototypesModel} share: which columns are features and where the
 * results go. Each is declared once here, with its doc and default; the classes hold the instances. The accessors
 * end in {@code Param} because the model's {@code numericCols()} and {@code categoricalCols()} return the names.
 */
public interface KPrototypesParams extends Params {

  StringArrayParam numericColsParam();

  StringArrayParam categoricalColsParam();

  Param<String> predictionColParam();

  Param<String> distanceColParam();

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

  /** Sets the shared defaults; call from the constructor after the params exist. */
  default void setSharedDefaults() {
    setDefault(numericColsParam(), new String[0]);
    setDefault(categoricalColsParam(), new String[0]);
    setDefault(predictionColParam(), "prediction");
    setDefault(distanceColParam(), "distance");
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
    return schema.add(getPredictionCol(), IntegerType, false).add(getDistanceCol(), DoubleType, false);
  }

  private static StructField field(StructType schema, String name, String kind) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException(kind + " column '" + name + "' is not in the input; columns are "
          + String.join(", ", schema.fieldNames()));
    }
    return schema.apply(name);
  }
}
