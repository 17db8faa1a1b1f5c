package dev.segments.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Values the estimator refuses: parameters at set time, naming the parameter (as spark.ml's ParamValidators do), and
 * data at fit time, naming the column and the first bad row.
 */
class KPrototypesParamsTest {
  private static final SparkSession SPARK = LocalSpark.session();
  private static final MixedRows DATA = MixedRows.planted(240, 3, 2, 2, 0.6, 0.8, 11);

  private static KPrototypes estimator() {
    return new KPrototypes().setK(3).setSeed(5).setNumericCols(DATA.numericCols())
        .setCategoricalCols(DATA.categoricalCols());
  }

  private static void refusedNaming(String param, Executable set) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, set, param);
    assertTrue(error.getMessage().contains("parameter " + param), error.getMessage());
  }

  /** maxIter=0 used to be accepted and end in a NullPointerException: no run ever finished. */
  @Test
  void maxIterBelowOneIsRefusedWhenSet() {
    refusedNaming("maxIter", () -> new KPrototypes().setMaxIter(0));
    refusedNaming("maxIter", () -> new KPrototypes().setMaxIter(-1));
    assertEquals(1, estimator().setMaxIter(1).fit(DATA.frame(SPARK)).numIter());
  }

  @Test
  void infinityIsRefusedWhereverNaNIs() {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      refusedNaming("gamma", () -> new KPrototypes().setGamma(bad));
      refusedNaming("tol", () -> new KPrototypes().setTol(bad));
    }
    refusedNaming("gamma", () -> new KPrototypes().setGamma(0));
    refusedNaming("tol", () -> new KPrototypes().setTol(-1e-9));
    refusedNaming("handleInvalid", () -> new KPrototypes().setHandleInvalid("drop"));
    refusedNaming("handleInvalid", () -> estimator().fit(DATA.frame(SPARK)).setHandleInvalid("ignore"));
    assertEquals(0.0, new KPrototypes().setTol(0).getTol());
  }

  @Test
  void infiniteFeatureAtFitFailsNamingTheColumnAndTheRow() {
    for (double bad : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}) {
      Dataset<Row> input = withValueAt(DATA.frame(SPARK), "x1", 7, functions.lit(bad));
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> estimator().fit(input));
      // 240 local rows in 4 partitions of 60: id 7 is the 8th row of the first.
      assertTrue(error.getMessage().contains("'x1'") && error.getMessage().contains("NaN or infinite")
          && error.getMessage().contains("row 7 of input partition 0"), error.getMessage());
    }
    Dataset<Row> nullCategory = withValueAt(DATA.frame(SPARK), "c0", 65, functions.lit(null).cast("string"));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> estimator().fit(nullCategory));
    assertTrue(error.getMessage().contains("'c0'") && error.getMessage().contains("row 5 of input partition 1"),
        error.getMessage());
  }

  @Test
  void infiniteOrNegativeWeightsAreRefusedNamingTheRow() {
    for (double bad : new double[] {Double.POSITIVE_INFINITY, Double.NaN, -0.5}) {
      Dataset<Row> input = withValueAt(DATA.frame(SPARK), "w", 3, functions.lit(bad));
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
          () -> estimator().setWeightCol("w").fit(input), String.valueOf(bad));
      assertTrue(error.getMessage().contains("'w'") && error.getMessage().contains("row 3 of input partition 0"),
          error.getMessage());
    }
  }

  @Test
  void allZeroWeightsAreRefusedClearly() {
    Dataset<Row> input = DATA.frame(SPARK).withColumn("w", functions.lit(0.0));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> estimator().setWeightCol("w").fit(input));
    assertTrue(error.getMessage().contains("'w' is 0 in all 240 rows"), error.getMessage());
  }

  /**
   * {@code frame} (rows in id order) with {@code column} set to {@code value} in row {@code id}, in 4 partitions cut as
   * {@code parallelize} cuts a list, so that an error can be checked for the row's position. (A local relation's rows
   * may all be read in one partition when a nondeterministic expression sits on top.)
   */
  static Dataset<Row> withValueAt(Dataset<Row> frame, String column, int id, org.apache.spark.sql.Column value) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext());
    Dataset<Row> partitioned = frame.sparkSession().createDataFrame(sc.parallelize(frame.orderBy("id")
        .collectAsList(), 4), frame.schema());
    return partitioned.withColumn(column, functions.when(functions.col("id").equalTo(id), value)
        .otherwise(functions.col(column)));
  }
}
