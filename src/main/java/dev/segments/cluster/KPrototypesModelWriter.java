package dev.segments.cluster;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.json4s.JsonAST.JInt;
import org.json4s.JsonAST.JObject;
import org.json4s.JsonAST.JValue;
import scala.Option;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.math.BigInt;

/**
 * Saves a model as Spark ML does: params metadata as JSON (with the {@link #FORMAT_VERSION} of the files), then three
 * small Parquet tables: the prototypes (one row per cluster), the category dictionaries (one row per value) and the
 * scaler (shift, divisor, Yeo-Johnson lambdas with NaN for none, the transformed columns' standard deviations,
 * skewness before and after) with the training summary (one row). The reader finds the columns by name.
 */
final class KPrototypesModelWriter extends MLWriter {
  /** The metadata key of the format version. */
  static final String FORMAT_VERSION_KEY = "formatVersion";
  /**
   * The layout of the files below. Adding a column a reader can do without is not a new version (the reader reads by
   * name and defaults what is missing); removing, renaming or changing the meaning of one is. Models saved before
   * the version was recorded have version 1's layout: the reader takes them as version 1. Version 2 added the
   * Yeo-Johnson transform (scaling, lambda, transformedStddev, skewBefore, skewAfter): a version 1 reader would
   * ignore the transform and place rows wrongly, so it must refuse such a model; a version 1 model has no transform.
   * Version 3 saves every fit param with the model (k, gamma, scaling, seed, initMode, ...: the model carries its
   * estimator's params): a version 2 reader knows only the column and output params and would fail on the others, so
   * it must refuse such a model with a clear message. A model of version 1 or 2 loads with k, gamma and scaling taken
   * from its files and the other fit params at their defaults.
   */
  static final int FORMAT_VERSION = 3;
  static final StructType PROTOTYPES = new StructType()
      .add("cluster", IntegerType, false)
      .add("scaledCenter", createArrayType(DoubleType, false), false)
      .add("modeCodes", createArrayType(IntegerType, false), false)
      .add("size", LongType, false);
  static final StructType DICTIONARIES = new StructType()
      .add("feature", IntegerType, false)
      .add("code", IntegerType, false)
      .add("value", StringType, false);
  static final StructType TRAINING = new StructType()
      .add("shift", createArrayType(DoubleType, false), false)
      .add("divisor", createArrayType(DoubleType, false), false)
      .add("gamma", DoubleType, false)
      .add("cost", DoubleType, false)
      .add("numIter", IntegerType, false)
      .add("costHistory", createArrayType(DoubleType, false), false)
      .add("packSeconds", DoubleType, false)
      .add("initSeconds", DoubleType, false)
      .add("iterateSeconds", DoubleType, false)
      .add("passes", IntegerType, false)
      .add("cacheBytes", LongType, false)
      .add("scaling", StringType, false)
      .add("lambda", createArrayType(DoubleType, false), false)
      .add("transformedStddev", createArrayType(DoubleType, false), false)
      .add("skewBefore", createArrayType(DoubleType, false), false)
      .add("skewAfter", createArrayType(DoubleType, false), false);

  private final KPrototypesModel model;

  KPrototypesModelWriter(KPrototypesModel model) {
    this.model = model;
  }

  @Override
  public void saveImpl(String path) {
    JObject version = new JObject(CollectionConverters.asScala(List.<Tuple2<String, JValue>>of(
        new Tuple2<>(FORMAT_VERSION_KEY, new JInt(BigInt.apply(FORMAT_VERSION))))).toList());
    DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sc(), Option.apply(version), Option.empty());
    KPrototypesModel.State state = model.state();
    Prototypes p = state.prototypes();
    List<Row> prototypes = new ArrayList<>();
    for (int j = 0; j < p.k; j++) {
      prototypes.add(RowFactory.create(j, boxed(Arrays.copyOfRange(p.centers, j * p.numeric, (j + 1) * p.numeric)),
          Arrays.stream(p.modes, j * p.categorical, (j + 1) * p.categorical).boxed().toList(),
          state.summary().clusterSizes()[j]));
    }
    List<Row> dictionaries = new ArrayList<>();
    for (int f = 0; f < state.dictionaries().features(); f++) {
      String[] values = state.dictionaries().values(f);
      for (int code = 0; code < values.length; code++) {
        dictionaries.add(RowFactory.create(f, code, values[code]));
      }
    }
    KPrototypesSummary s = state.summary();
    Row training = RowFactory.create(boxed(state.scaler().shift()), boxed(state.scaler().divisor()), p.gamma, s.cost(),
        s.numIter(), boxed(s.costHistory()), s.packSeconds(), s.initSeconds(), s.iterateSeconds(), s.passes(),
        s.cacheBytes(), state.scaler().scaling(), boxed(state.scaler().lambda()),
        boxed(state.scaler().transformedStddev()), boxed(state.scaler().skewBefore()),
        boxed(state.scaler().skewAfter()));
    write(prototypes, PROTOTYPES, path + "/prototypes");
    write(dictionaries, DICTIONARIES, path + "/dictionaries");
    write(List.of(training), TRAINING, path + "/training");
  }

  private void write(List<Row> rows, StructType schema, String path) {
    sparkSession().createDataFrame(rows, schema).repartition(1).write().parquet(path);
  }

  private static List<Double> boxed(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
