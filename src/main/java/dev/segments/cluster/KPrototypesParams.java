package dev.segments.cluster;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Function1;

/**
 * The parameters of {@link KPrototypes}, which its {@link KPrototypesModel} carries too (as spark.ml's models mix in
 * their estimator's params): which columns are features, where the results go, what happens to rows that cannot be
 * clustered, and how the model was fitted. Each is declared once here, with its doc, default and validator; each
 * owner holds its own {@link Instances}, whose params Spark finds through the accessors below. The accessors end in {@code Param} because the model's {@code k()}, {@code gamma()},
 * {@code numericCols()} and {@code categoricalCols()} return values. A fitted model's {@code k} and {@code gamma} are
 * the ones it was fitted with (gamma as computed when the estimator left it unset).
 */
public interface KPrototypesParams extends Params {
  /** The values of {@code handleInvalid}, as Spark's own feature transformers name them. */
  String[] HANDLE_INVALID = {"error", "skip", "keep"};

  /** This owner's instance of every param. */
  Instances instances();

  default StringArrayParam numericColsParam() {
    return instances().numericCols;
  }

  default StringArrayParam categoricalColsParam() {
    return instances().categoricalCols;
  }

  default Param<String> predictionColParam() {
    return instances().predictionCol;
  }

  default Param<String> distanceColParam() {
    return instances().distanceCol;
  }

  default Param<String> handleInvalidParam() {
    return instances().handleInvalid;
  }

  default IntParam kParam() {
    return instances().k;
  }

  default IntParam maxIterParam() {
    return instances().maxIter;
  }

  default DoubleParam tolParam() {
    return instances().tol;
  }

  default LongParam seedParam() {
    return instances().seed;
  }

  default DoubleParam gammaParam() {
    return instances().gamma;
  }

  default Param<String> initModeParam() {
    return instances().initMode;
  }

  default IntParam initStepsParam() {
    return instances().initSteps;
  }

  default IntParam numInitsParam() {
    return instances().numInits;
  }

  default Param<String> weightColParam() {
    return instances().weightCol;
  }

  default Param<String> scalingParam() {
    return instances().scaling;
  }

  default IntParam stabilityStartsParam() {
    return instances().stabilityStarts;
  }

  default DoubleParam warmStartMarginParam() {
    return instances().warmStartMargin;
  }

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

  default int getK() {
    return (Integer) getOrDefault(kParam());
  }

  default int getMaxIter() {
    return (Integer) getOrDefault(maxIterParam());
  }

  default double getTol() {
    return (Double) getOrDefault(tolParam());
  }

  default long getSeed() {
    return (Long) getOrDefault(seedParam());
  }

  /** The weight of one categorical mismatch; only when set (an estimator without it uses Huang's rule). */
  default double getGamma() {
    return (Double) getOrDefault(gammaParam());
  }

  default String getInitMode() {
    return getOrDefault(initModeParam());
  }

  default int getInitSteps() {
    return (Integer) getOrDefault(initStepsParam());
  }

  default int getNumInits() {
    return (Integer) getOrDefault(numInitsParam());
  }

  default String getScaling() {
    return getOrDefault(scalingParam());
  }

  default int getStabilityStarts() {
    return (Integer) getOrDefault(stabilityStartsParam());
  }

  default double getWarmStartMargin() {
    return (Double) getOrDefault(warmStartMarginParam());
  }

  private static StringArrayParam newNumericCols(Params owner) {
    return new StringArrayParam(owner, "numericCols", "numeric feature columns (scaled inside the model)");
  }

  private static StringArrayParam newCategoricalCols(Params owner) {
    return new StringArrayParam(owner, "categoricalCols", "categorical feature columns (compared by equality)");
  }

  private static Param<String> newPredictionCol(Params owner) {
    return new Param<>(owner, "predictionCol", "output column for the cluster index (int)");
  }

  private static Param<String> newDistanceCol(Params owner) {
    return new Param<>(owner, "distanceCol", "output column for the distance to the assigned prototype (double)");
  }

  private static IntParam newK(Params owner) {
    return new IntParam(owner, "k", "number of clusters (>= 1)", ParamValidators.gtEq(1));
  }

  private static IntParam newMaxIter(Params owner) {
    return new IntParam(owner, "maxIter", "maximum number of iterations (>= 1)", ParamValidators.gtEq(1));
  }

  private static DoubleParam newTol(Params owner) {
    return new DoubleParam(owner, "tol", "stop when the cost falls by less than this fraction (finite, >= 0)",
        finiteAtLeast(0));
  }

  private static LongParam newSeed(Params owner) {
    return new LongParam(owner, "seed", "random seed");
  }

  private static DoubleParam newGamma(Params owner) {
    return new DoubleParam(owner, "gamma", "weight of one categorical mismatch (finite, > 0); unset: 0.5 x the mean"
        + " standard deviation of the scaled numeric features (Huang)", finiteAbove(0));
  }

  private static Param<String> newInitMode(Params owner) {
    return new Param<>(owner, "initMode", "initialisation: " + String.join(", ", InitMode.NAMES),
        ParamValidators.inArray(InitMode.NAMES));
  }

  private static IntParam newInitSteps(Params owner) {
    return new IntParam(owner, "initSteps", "rounds of k-prototypes|| (> 0)", ParamValidators.gt(0));
  }

  private static IntParam newNumInits(Params owner) {
    return new IntParam(owner, "numInits", "independent starts; the lowest final cost wins (> 0)",
        ParamValidators.gt(0));
  }

  private static Param<String> newWeightCol(Params owner) {
    return new Param<>(owner, "weightCol", "optional column of row weights (finite, >= 0, not all 0)");
  }

  private static Param<String> newScaling(Params owner) {
    return new Param<>(owner, "scaling", "numeric scaling: " + String.join(", ", Scaling.NAMES)
        + "; yeo-johnson transforms strongly skewed columns (|skewness| > " + Scaling.SKEW_THRESHOLD
        + ", lambda by maximum likelihood) before z-scoring, yeo-johnson-minmax before min-max scaling",
        ParamValidators.inArray(Scaling.NAMES));
  }

  private static IntParam newStabilityStarts(Params owner) {
    return new IntParam(owner, "stabilityStarts", "starts per k whose agreement fitRange reports as the"
        + " k's stability; starts beyond numInits serve only that (>= 1; 1: no stability)", ParamValidators.gtEq(1));
  }

  private static DoubleParam newWarmStartMargin(Params owner) {
    return new DoubleParam(owner, "warmStartMargin", "with a warm start (KPrototypes.setWarmStart), a seeded start"
        + " replaces it only when its cost is lower by more than this fraction of the warm start's (finite, >= 0)",
        finiteAtLeast(0));
  }

  /**
   * Rows K-Prototypes cannot use are those with a null, NaN or infinite numeric feature or a null category (and, at
   * fit, a null, NaN, infinite or negative weight). The choices follow Spark's VectorAssembler and StringIndexer
   * (Spark 3.5): 'error' fails, 'skip' drops the rows; 'keep' has no extra bucket to put them in here, so it keeps
   * them in the output with a null prediction and distance (and, like 'skip', leaves them out of the fit).
   */
  private static Param<String> newHandleInvalid(Params owner) {
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

  /** Sets the defaults; call from the constructor after the params exist. gamma and weightCol have none. */
  default void setSharedDefaults() {
    setDefault(numericColsParam(), new String[0]);
    setDefault(categoricalColsParam(), new String[0]);
    setDefault(predictionColParam(), "prediction");
    setDefault(distanceColParam(), "distance");
    setDefault(handleInvalidParam(), "error");
    setDefault(kParam(), 2);
    setDefault(maxIterParam(), 100);
    setDefault(tolParam(), 1e-4);
    setDefault(seedParam(), (long) KPrototypes.class.getName().hashCode());
    setDefault(initModeParam(), InitMode.PARALLEL.paramValue);
    setDefault(initStepsParam(), 2);
    setDefault(numInitsParam(), 1);
    setDefault(scalingParam(), "yeo-johnson-minmax");
    setDefault(stabilityStartsParam(), 3);
    setDefault(warmStartMarginParam(), 0.02);
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

  /** The instances of every param for one owner, the estimator or a model, made by the factories above. */
  final class Instances implements Serializable {
    private static final long serialVersionUID = 1L;
    private final StringArrayParam numericCols;
    private final StringArrayParam categoricalCols;
    private final Param<String> predictionCol;
    private final Param<String> distanceCol;
    private final Param<String> handleInvalid;
    private final IntParam k;
    private final IntParam maxIter;
    private final DoubleParam tol;
    private final LongParam seed;
    private final DoubleParam gamma;
    private final Param<String> initMode;
    private final IntParam initSteps;
    private final IntParam numInits;
    private final Param<String> weightCol;
    private final Param<String> scaling;
    private final IntParam stabilityStarts;
    private final DoubleParam warmStartMargin;

    Instances(Params owner) {
      numericCols = newNumericCols(owner);
      categoricalCols = newCategoricalCols(owner);
      predictionCol = newPredictionCol(owner);
      distanceCol = newDistanceCol(owner);
      handleInvalid = newHandleInvalid(owner);
      k = newK(owner);
      maxIter = newMaxIter(owner);
      tol = newTol(owner);
      seed = newSeed(owner);
      gamma = newGamma(owner);
      initMode = newInitMode(owner);
      initSteps = newInitSteps(owner);
      numInits = newNumInits(owner);
      weightCol = newWeightCol(owner);
      scaling = newScaling(owner);
      stabilityStarts = newStabilityStarts(owner);
      warmStartMargin = newWarmStartMargin(owner);
    }
  }
}
