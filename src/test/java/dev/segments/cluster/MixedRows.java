package dev.segments.cluster;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Test data held twice: as plain arrays for the reference implementation, and as a DataFrame with columns id, x0..,
 * c0.., w and group (the planted group each row was drawn from).
 */
record MixedRows(double[][] numeric, String[][] categories, double[] weights, int[] groups) {

  int size() {
    return groups.length;
  }

  String[] numericCols() {
    String[] names = new String[numeric[0].length];
    for (int f = 0; f < names.length; f++) {
      names[f] = "x" + f;
    }
    return names;
  }

  String[] categoricalCols() {
    String[] names = new String[categories[0].length];
    for (int f = 0; f < names.length; f++) {
      names[f] = "c" + f;
    }
    return names;
  }

  /**
   * Rows from {@code groups} planted groups: numeric values Gaussian (sd {@code spread}) around a centre per group on a
   * grid 4 apart, each category the group's own value with probability {@code purity}, else a random one of 4.
   */
  static MixedRows planted(int n, int groups, int numericCount, int categoricalCount, double spread, double purity,
                           long seed) {
    Random random = new Random(seed);
    double[][] numeric = new double[n][numericCount];
    String[][] categories = new String[n][categoricalCount];
    double[] weights = new double[n];
    int[] truth = new int[n];
    for (int i = 0; i < n; i++) {
      int g = i % groups;
      truth[i] = g;
      for (int f = 0; f < numericCount; f++) {
        numeric[i][f] = 4.0 * ((g + f) % groups) + spread * random.nextGaussian();
      }
      for (int f = 0; f < categoricalCount; f++) {
        int value = random.nextDouble() < purity ? (g + f) % 4 : random.nextInt(4);
        categories[i][f] = "v" + value;
      }
      weights[i] = 0.5 + random.nextDouble();
    }
    return new MixedRows(numeric, categories, weights, truth);
  }

  Dataset<Row> frame(SparkSession spark) {
    StructType schema = new StructType().add("id", IntegerType, false);
    for (String name : numericCols()) {
      schema = schema.add(name, DoubleType, false);
    }
    for (String name : categoricalCols()) {
      schema = schema.add(name, StringType, false);
    }
    schema = schema.add("w", DoubleType, false).add("group", IntegerType, false);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      Object[] values = new Object[1 + numeric[i].length + categories[i].length + 2];
      int at = 0;
      values[at++] = i;
      for (double v : numeric[i]) {
        values[at++] = v;
      }
      for (String v : categories[i]) {
        values[at++] = v;
      }
      values[at++] = weights[i];
      values[at] = groups[i];
      rows.add(RowFactory.create(values));
    }
    return spark.createDataFrame(rows, schema);
  }

  /** The prediction column of a transformed frame, indexed by id. */
  static int[] predictions(Dataset<Row> transformed, String column) {
    List<Row> rows = transformed.select("id", column).collectAsList();
    int[] out = new int[rows.size()];
    for (Row row : rows) {
      out[row.getInt(0)] = row.getInt(1);
    }
    return out;
  }

  /** A model's numeric centres in original units, [cluster][numeric feature]. */
  static double[][] centres(KPrototypesModel model) {
    return model.prototypes().stream().map(Prototype::numericCentre).toArray(double[][]::new);
  }

  /** A model's modes, [cluster][categorical feature]. */
  static String[][] modes(KPrototypesModel model) {
    return model.prototypes().stream().map(Prototype::modes).toArray(String[][]::new);
  }
}
