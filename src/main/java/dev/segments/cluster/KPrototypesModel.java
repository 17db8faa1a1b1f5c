package dev.segments.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted K-Prototypes model: the numeric scaler, the category dictionaries and k prototypes. {@link #transform}
 * adds the nearest prototype's index and the distance to it; a category not seen at fit time matches no mode. A row
 * with a null, NaN or infinite numeric feature or a null category fails the transform, is dropped, or gets a null
 * prediction and distance, as {@code handleInvalid} says. Optional outputs, as spark.ml's optional columns (a
 * classifier's {@code probabilityCol}): with {@link #setRunnerUpCol} or {@link #setRunnerUpDistanceCol} set, the
 * transform also adds the runner-up (the nearest of the other prototypes) and the distance to it, found in the same
 * scan of the prototypes; unset, neither column is produced.
 */
public class KPrototypesModel extends Model<KPrototypesModel> implements KPrototypesParams, MLWritable {
  private static final long serialVersionUID = 1L;

  /** Everything the model learnt; serialisable so transform can ship it to executors. */
  record State(NumericScaler scaler, CategoryDictionaries dictionaries, Prototypes prototypes,
               KPrototypesSummary summary) implements Serializable {}

  private final String uid;
  private final State state;
  private final Instances instances;
  private final Param<String> runnerUpCol;
  private final Param<String> runnerUpDistanceCol;

  KPrototypesModel(String uid, State state) {
    this.uid = uid;
    this.state = state;
    instances = new Instances(this);
    runnerUpCol = new Param<>(this, "runnerUpCol", "output column for the runner-up: the index of the nearest"
        + " prototype other than the assigned one (int; null when k = 1); not produced when unset");
    runnerUpDistanceCol = new Param<>(this, "runnerUpDistanceCol", "output column for the distance to the runner-up"
        + " (double; null when k = 1); not produced when unset");
    setSharedDefaults();
  }

  /**
   * Sets k, gamma and scaling to what the state was fitted with: gamma as computed when the estimator left it unset,
   * and for a model saved before the model carried its params, the values its files hold.
   */
  KPrototypesModel withFittedParams() {
    set(kParam(), k());
    set(gammaParam(), gamma());
    set(scalingParam(), state.scaler().scaling());
    return this;
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override public Instances instances() { return instances; }

  public KPrototypesModel setPredictionCol(String value) { set(predictionColParam(), value); return this; }
  public KPrototypesModel setDistanceCol(String value) { set(distanceColParam(), value); return this; }
  public KPrototypesModel setHandleInvalid(String value) { set(handleInvalidParam(), value); return this; }
  public KPrototypesModel setRunnerUpCol(String value) { set(runnerUpCol, value); return this; }
  public KPrototypesModel setRunnerUpDistanceCol(String value) { set(runnerUpDistanceCol, value); return this; }

  public Param<String> runnerUpColParam() { return runnerUpCol; }
  public Param<String> runnerUpDistanceColParam() { return runnerUpDistanceCol; }

  /** The runner-up column, or empty when the transform does not produce it. */
  public Optional<String> getRunnerUpCol() {
    return optional(runnerUpCol);
  }

  /** The runner-up distance column, or empty when the transform does not produce it. */
  public Optional<String> getRunnerUpDistanceCol() {
    return optional(runnerUpDistanceCol);
  }

  private Optional<String> optional(Param<String> param) {
    return isDefined(param) && !getOrDefault(param).isEmpty() ? Optional.of(getOrDefault(param)) : Optional.empty();
  }

  State state() {
    return state;
  }

  /** Number of clusters. */
  public int k() {
    return state.prototypes().k;
  }

  public String[] numericCols() {
    return getNumericCols().clone();
  }

  public String[] categoricalCols() {
    return getCategoricalCols().clone();
  }

  /** The gamma the model was fitted with: the weight of one categorical mismatch against squared scaled units. */
  public double gamma() {
    return state.prototypes().gamma;
  }

  /** The prototypes in original units (numeric centres and category values), by cluster. */
  public List<Prototype> prototypes() {
    Prototypes p = state.prototypes();
    double[][] centers = scaledNumericCenters();
    List<Prototype> prototypes = new ArrayList<>();
    for (int j = 0; j < p.k; j++) {
      for (int f = 0; f < p.numeric; f++) {
        centers[j][f] = state.scaler().original(f, centers[j][f]);
      }
      String[] modes = new String[p.categorical];
      for (int f = 0; f < p.categorical; f++) {
        modes[f] = state.dictionaries().value(f, p.modes[j * p.categorical + f]);
      }
      prototypes.add(new Prototype(centers[j], modes));
    }
    return List.copyOf(prototypes);
  }

  /** Centres on the scaled axes the distance is taken on, [cluster][numeric feature]. */
  public double[][] scaledNumericCenters() {
    Prototypes p = state.prototypes();
    double[][] centers = new double[p.k][p.numeric];
    for (int j = 0; j < p.k; j++) {
      System.arraycopy(p.centers, j * p.numeric, centers[j], 0, p.numeric);
    }
    return centers;
  }

  /** Values in original units of the numeric columns, put on the scaled axes. */
  public double[] scale(double[] originalNumeric) {
    double[] scaled = new double[originalNumeric.length];
    for (int f = 0; f < scaled.length; f++) {
      scaled[f] = state.scaler().scaled(f, originalNumeric[f]);
    }
    return scaled;
  }

  /** The K-Prototypes distance from a row (numeric values in original units, category values) to a prototype. */
  public double distance(double[] originalNumeric, String[] categories, int cluster) {
    return state.prototypes().distance(scale(originalNumeric), 0, encode(categories), 0, cluster);
  }

  /**
   * Why a row is nearer prototype {@code own} than prototype {@code other}: per feature (the numeric columns, then the
   * categorical ones) what it adds to the row's distance to {@code other} beyond its distance to {@code own}, on the
   * scaled axes (a categorical feature: gamma, minus gamma or 0). They sum to distance(other) - distance(own); the
   * largest are the features that pull the row toward {@code own} the most.
   *
   * @param originalNumeric the row's numeric values in original units
   */
  public double[] distanceMargins(double[] originalNumeric, String[] categories, int own, int other) {
    return state.prototypes().margins(scale(originalNumeric), encode(categories), own, other);
  }

  private int[] encode(String[] categories) {
    int[] codes = new int[categories.length];
    for (int f = 0; f < codes.length; f++) {
      codes[f] = state.dictionaries().code(f, categories[f]);
    }
    return codes;
  }

  /**
   * Whether the numeric axes are z-scores (scaling {@code zscore} or {@code yeo-johnson}), so that gamma weighs one
   * mismatch against squared standard deviations; min-max and unscaled axes have other units.
   */
  public boolean zScored() {
    return Scaling.of(state.scaler().scaling()).affineStep().equals(Scaling.ZSCORE.paramValue);
  }

  /** Per numeric column, in order, how it was scaled (see {@link ColumnScaling}). */
  public List<ColumnScaling> columnScalings() {
    NumericScaler scaler = state.scaler();
    String[] names = getNumericCols();
    List<ColumnScaling> columns = new ArrayList<>();
    for (int f = 0; f < names.length; f++) {
      String affine = Scaling.of(scaler.scaling()).affineStep();
      String method = scaler.transformed(f) ? "yeo-johnson + " + affine : affine;
      columns.add(new ColumnScaling(names[f], method, scaler.lambda()[f], scaler.skewBefore()[f],
          scaler.skewAfter()[f]));
    }
    return columns;
  }

  public KPrototypesSummary summary() {
    return state.summary();
  }

  public double cost() {
    return state.summary().cost();
  }

  public int numIter() {
    return state.summary().numIter();
  }

  public double[] costHistory() {
    return state.summary().costHistory().clone();
  }

  public long[] clusterSizes() {
    return state.summary().clusterSizes().clone();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    StructType out = validateAndTransformSchema(schema);
    for (Optional<String> column : List.of(getRunnerUpCol(), getRunnerUpDistanceCol())) {
      if (column.isPresent() && List.of(out.fieldNames()).contains(column.get())) {
        throw new IllegalArgumentException("output column '" + column.get() + "' already exists in the input");
      }
    }
    if (getRunnerUpCol().isPresent()) {
      out = out.add(getRunnerUpCol().get(), DataTypes.IntegerType, true);
    }
    if (getRunnerUpDistanceCol().isPresent()) {
      out = out.add(getRunnerUpDistanceCol().get(), DataTypes.DoubleType, true);
    }
    return out;
  }

  /** The UDF's result: the nearest prototype and the distance to it. */
  private static final StructType ASSIGNMENT = new StructType()
      .add("cluster", DataTypes.IntegerType, false)
      .add("distance", DataTypes.DoubleType, false);

  /** The UDF's result when the runner-up is asked for: null fields when k = 1. */
  private static final StructType ASSIGNMENT_WITH_RUNNER_UP = ASSIGNMENT
      .add("runner_up", DataTypes.IntegerType, true)
      .add("runner_up_distance", DataTypes.DoubleType, true);

  /**
   * Adds the prediction and distance columns (and the runner-up columns that are set). The nearest prototype is found by a UDF over a struct of the feature
   * columns only, so Spark converts the features of each row and nothing else (converting whole rows, as a
   * mapPartitions over Rows does, cost several times more on wide tables and chained transforms). The struct ends
   * with the row's position, for an error to name the row.
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    String[] numeric = getNumericCols();
    String[] categorical = getCategoricalCols();
    List<Column> features = new ArrayList<>();
    for (int f = 0; f < numeric.length; f++) {
      features.add(FeatureStatistics.column(numeric[f]).cast("double").as("n" + f));
    }
    for (int f = 0; f < categorical.length; f++) {
      features.add(FeatureStatistics.column(categorical[f]).cast("string").as("c" + f));
    }
    features.add(InvalidRows.position().as("position"));
    State model = state;
    boolean keep = getHandleInvalid().equals("keep");
    boolean runnerUp = getRunnerUpCol().isPresent() || getRunnerUpDistanceCol().isPresent();
    Dataset<?> input = getHandleInvalid().equals("skip")
        ? dataset.filter(functions.not(InvalidRows.any(numeric, categorical, null))) : dataset;
    // Declared nondeterministic (it is not) so that the optimizer never copies the call into other expressions: a
    // filter on the prediction pushed below this projection would otherwise evaluate the UDF once per reference
    // (a stratified sample's filter over 9 chained models took 9 s instead of 1 in the 1M pipeline run).
    UserDefinedFunction assign = functions.udf(
        (UDF1<Row, Row>) row -> assign(model, numeric, categorical, keep, runnerUp, row),
        runnerUp ? ASSIGNMENT_WITH_RUNNER_UP : ASSIGNMENT);
    assign = (keep ? assign : assign.asNonNullable()).asNondeterministic();
    String scratch = scratchColumn(dataset.schema());
    // The struct is referenced several times but computed once, in its own projection.
    Column result = FeatureStatistics.column(scratch);
    List<Column> outputs = new ArrayList<>(List.of(functions.col("*"),
        result.getField("cluster").as(getPredictionCol()), result.getField("distance").as(getDistanceCol())));
    getRunnerUpCol().ifPresent(name -> outputs.add(result.getField("runner_up").as(name)));
    getRunnerUpDistanceCol().ifPresent(name -> outputs.add(result.getField("runner_up_distance").as(name)));
    return input.select(functions.col("*"), assign.apply(functions.struct(features.toArray(new Column[0])))
            .as(scratch))
        .select(outputs.toArray(Column[]::new))
        .drop(scratch);
  }

  private static String scratchColumn(StructType schema) {
    List<String> names = List.of(schema.fieldNames());
    String name = "_kprototypes_assignment";
    while (names.contains(name)) {
      name = "_" + name;
    }
    return name;
  }

  /**
   * One row's nearest prototype and distance, and with {@code runnerUp} the runner-up and its distance; {@code row}
   * holds the numeric features, then the categorical ones, then
   * the row's position. A row it cannot assign gives null when {@code keep}, else fails naming the column and the row
   * ('skip' dropped such rows before).
   */
  private static Row assign(State state, String[] numeric, String[] categorical, boolean keep, boolean runnerUp,
      Row row) {
    double[] values = new double[numeric.length];
    int[] codes = new int[categorical.length];
    double norm = 0;
    for (int f = 0; f < numeric.length; f++) {
      if (row.isNullAt(f) || !Double.isFinite(row.getDouble(f))) {
        if (keep) {
          return null;
        }
        throw cannotAssign("numeric", numeric[f], row.isNullAt(f) ? "null" : String.valueOf(row.getDouble(f)), row);
      }
      values[f] = state.scaler().scaled(f, row.getDouble(f));
      norm += values[f] * values[f];
    }
    for (int f = 0; f < categorical.length; f++) {
      int at = numeric.length + f;
      if (row.isNullAt(at)) {
        if (keep) {
          return null;
        }
        throw cannotAssign("categorical", categorical[f], "null", row);
      }
      codes[f] = state.dictionaries().code(f, row.getString(at));
    }
    NearestPrototype nearest = new NearestPrototype(state.prototypes());
    if (runnerUp) {
      int cluster = nearest.findWithRunnerUp(values, 0, codes, 0);
      boolean none = nearest.runnerUp() < 0;
      return RowFactory.create(cluster, nearest.distance(), none ? null : nearest.runnerUp(),
          none ? null : nearest.runnerUpDistance());
    }
    int cluster = nearest.find(values, 0, Math.sqrt(norm), codes, 0);
    return RowFactory.create(cluster, nearest.distance());
  }

  private static IllegalArgumentException cannotAssign(String kind, String column, String value, Row row) {
    return new IllegalArgumentException(kind + " column '" + column + "' is " + value + " in "
        + InvalidRows.describe(row.getLong(row.length() - 1)) + "; K-Prototypes needs a finite value in every feature"
        + " (impute it first, or set handleInvalid to skip or keep)");
  }

  @Override
  public KPrototypesModel copy(ParamMap extra) {
    return copyValues(new KPrototypesModel(uid, state), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new KPrototypesModelWriter(this);
  }

  public static MLReader<KPrototypesModel> read() {
    return new KPrototypesModelReader();
  }

  public static KPrototypesModel load(String path) {
    return read().load(path);
  }
}
