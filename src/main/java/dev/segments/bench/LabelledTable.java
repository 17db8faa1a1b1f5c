package dev.segments.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A table whose rows carry a known class ({@value #TRUTH}, a string) beside numeric and categorical features: what
 * planted-group recovery is measured on. The public data sets are read as their README.txt in
 * {@code /work/shared/datasets} describes them: rows with a missing value ({@code ?}) are dropped, as clustering
 * studies of these sets usually do.
 */
record LabelledTable(String name, Dataset<Row> rows, String[] numeric, String[] categorical, int classes) {
  static final String TRUTH = "_truth";

  /** UCI credit approval (crx.data): 6 numeric (A2, A3, A8, A11, A14, A15), 9 categorical, class A16; 653 rows. */
  static LabelledTable creditApproval(SparkSession spark, Path datasets) {
    Dataset<Row> raw = spark.read().option("inferSchema", "false").csv(
        datasets.resolve("credit_approval/crx.data").toString());
    return of("credit approval", complete(raw), new int[] {1, 2, 7, 10, 13, 14}, new int[] {0, 3, 4, 5, 6, 8, 9, 11, 12},
        col("_c15"), 2);
  }

  /**
   * UCI heart disease, Cleveland (processed.cleveland.data): 5 numeric (age, trestbps, chol, thalach, oldpeak), 8
   * categorical, the class binarised as papers do (0 = no disease, 1-4 = disease); 297 complete rows.
   */
  static LabelledTable heartDisease(SparkSession spark, Path datasets) {
    Dataset<Row> raw = spark.read().option("inferSchema", "false").csv(
        datasets.resolve("heart_disease/processed.cleveland.data").toString());
    Column disease = when(col("_c13").cast("double").equalTo(0), lit("absent")).otherwise(lit("present"));
    return of("heart disease (Cleveland)", complete(raw), new int[] {0, 3, 4, 7, 9}, new int[] {1, 2, 5, 6, 8, 10, 11, 12},
        disease, 2);
  }

  /** Statlog German credit (german.data, space-separated): 7 numeric, 13 categorical, class good/bad; 1,000 rows. */
  static LabelledTable germanCredit(SparkSession spark, Path datasets) {
    Dataset<Row> raw = spark.read().option("inferSchema", "false").option("sep", " ").csv(
        datasets.resolve("german_credit/german.data").toString());
    return of("German credit", raw, new int[] {1, 4, 7, 10, 12, 15, 17},
        new int[] {0, 2, 3, 5, 6, 8, 9, 11, 13, 14, 16, 18, 19}, col("_c20"), 2);
  }

  /** UCI soybean (small): 35 categorical attributes, no numeric one (so every scaling gives the same), 4 diseases. */
  static LabelledTable soybean(SparkSession spark, Path datasets) {
    Dataset<Row> raw = spark.read().option("inferSchema", "false").csv(
        datasets.resolve("soybean_small/soybean.csv").toString());
    int[] attributes = new int[35];
    Arrays.setAll(attributes, i -> i);
    return of("soybean (small)", raw, new int[0], attributes, col("_c35"), 4);
  }

  private static Dataset<Row> complete(Dataset<Row> raw) {
    Column any = lit(false);
    for (String c : raw.columns()) {
      any = any.or(col(c).equalTo("?"));
    }
    return raw.where(any.unary_$bang());
  }

  private static LabelledTable of(String name, Dataset<Row> raw, int[] numeric, int[] categorical, Column truth,
      int classes) {
    List<Column> columns = new ArrayList<>();
    String[] numericNames = new String[numeric.length];
    String[] categoricalNames = new String[categorical.length];
    for (int i = 0; i < numeric.length; i++) {
      numericNames[i] = "n" + numeric[i];
      columns.add(col("_c" + numeric[i]).cast("double").as(numericNames[i]));
    }
    for (int i = 0; i < categorical.length; i++) {
      categoricalNames[i] = "c" + categorical[i];
      columns.add(col("_c" + categorical[i]).cast("string").as(categoricalNames[i]));
    }
    columns.add(truth.cast("string").as(TRUTH));
    return new LabelledTable(name, raw.select(columns.toArray(Column[]::new)).cache(), numericNames,
        categoricalNames, classes);
  }
}
