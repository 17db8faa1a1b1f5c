package dev.segments.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The model's transform: its schema, its answer against the model's own distance, and rows it cannot assign. */
class KPrototypesModelTransformTest {
  private static final SparkSession SPARK = LocalSpark.session();
  private static final MixedRows DATA = MixedRows.planted(150, 3, 2, 2, 0.8, 0.8, 21);

  private static KPrototypesModel model() {
    return new KPrototypes().setK(3).setSeed(4).setNumericCols(DATA.numericCols())
        .setCategoricalCols(DATA.categoricalCols()).fit(DATA.frame(SPARK));
  }

  @Test
  void outputSchemaIsTheDeclaredOneAndEachRowGetsItsNearestPrototype() {
    KPrototypesModel model = model();
    Dataset<Row> input = DATA.frame(SPARK);
    Dataset<Row> out = model.transform(input);
    assertEquals(model.transformSchema(input.schema()), out.schema());
    for (Row row : out.collectAsList()) {
      int id = row.<Integer>getAs("id");
      int cluster = row.<Integer>getAs("prediction");
      double distance = row.<Double>getAs("distance");
      double best = Double.POSITIVE_INFINITY;
      int nearest = -1;
      for (int j = 0; j < model.k(); j++) {
        double d = model.distance(DATA.numeric()[id], DATA.categories()[id], j);
        if (d < best) {
          best = d;
          nearest = j;
        }
      }
      assertEquals(nearest, cluster, "row " + id);
      assertEquals(best, distance, 1e-9 * Math.max(1, best), "row " + id);
    }
  }

  @Test
  void aColumnNamedLikeTheScratchColumnIsKept() {
    Dataset<Row> input = DATA.frame(SPARK).withColumn("_kprototypes_assignment", functions.lit("mine"));
    Dataset<Row> out = model().transform(input);
    List<Row> rows = out.select("_kprototypes_assignment").distinct().collectAsList();
    assertEquals(1, rows.size());
    assertEquals("mine", rows.get(0).getString(0));
    assertEquals(input.columns().length + 2, out.columns().length);
  }

  @Test
  void aMissingFeatureFailsNamingTheColumn() {
    Dataset<Row> nullNumber = DATA.frame(SPARK).withColumn("x1",
        functions.when(functions.col("id").equalTo(7), functions.lit(null)).otherwise(functions.col("x1")));
    Exception failure = assertThrows(Exception.class, () -> model().transform(nullNumber).collectAsList());
    Throwable cause = failure;
    while (cause != null && !(cause instanceof IllegalArgumentException)) {
      cause = cause.getCause();
    }
    assertTrue(cause != null && cause.getMessage().contains("'x1'"), String.valueOf(failure));
  }

  /**
   * A model built by hand: one numeric feature x (no scaling) with centres 0, 4 and 10, one categorical c with modes
   * a, b, a, gamma 1. Distances worked out by hand: (x - centre)² + 1 per mismatch.
   */
  private static KPrototypesModel handModel(double[] centres, int[] modes) {
    int k = centres.length;
    NumericScaler none = new NumericScaler("none", new double[] {Double.NaN}, new double[] {0}, new double[] {1},
        new double[] {1}, new double[] {0}, new double[] {0});
    KPrototypesModel model = new KPrototypesModel("hand", new KPrototypesModel.State(none,
        new CategoryDictionaries(new String[][] {{"a", "b"}}), new Prototypes(k, 1, 1, 1.0, centres, modes),
        new KPrototypesSummary(0, 0, new double[0], new long[k], 0, 0, 0, 0, 0)));
    model.set(model.numericColsParam(), new String[] {"x"});
    model.set(model.categoricalColsParam(), new String[] {"c"});
    return model;
  }

  private static Dataset<Row> handRows() {
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("x", DataTypes.DoubleType)
        .add("c", DataTypes.StringType);
    return SPARK.createDataFrame(List.of(RowFactory.create(0, 1.0, "a"), RowFactory.create(1, 6.0, "a"),
        RowFactory.create(2, 2.0, "b"), RowFactory.create(3, 5.0, "a")), schema);
  }

  @Test
  void runnerUpColumnsOnAHandWorkedExample() {
    KPrototypesModel model = handModel(new double[] {0, 4, 10}, new int[] {0, 1, 0})
        .setRunnerUpCol("second").setRunnerUpDistanceCol("second_distance");
    Dataset<Row> out = model.transform(handRows());
    assertEquals(model.transformSchema(handRows().schema()), out.schema());
    List<Row> rows = out.orderBy("id").select("prediction", "distance", "second", "second_distance").collectAsList();
    // x=1, a: distances 1, 9+1=10, 81 -> prototype 0, runner-up 1 at 10.
    assertEquals(List.of(0, 1.0, 1, 10.0), cells(rows.get(0)));
    // x=6, a: 36, 4+1=5, 16 -> 1, runner-up 2 at 16.
    assertEquals(List.of(1, 5.0, 2, 16.0), cells(rows.get(1)));
    // x=2, b: 4+1=5, 4, 64+1=65 -> 1, runner-up 0 at 5.
    assertEquals(List.of(1, 4.0, 0, 5.0), cells(rows.get(2)));
    // x=5, a: 25, 1+1=2, 25 -> 1; 0 and 2 tie at 25 and the lower index is the runner-up.
    assertEquals(List.of(1, 2.0, 0, 25.0), cells(rows.get(3)));
    // Why row 0 is in 0 rather than 1: x adds 9 - 1 = 8, c adds gamma 1; together 10 - 1.
    assertArrayEquals(new double[] {8, 1}, model.distanceMargins(new double[] {1}, new String[] {"a"}, 0, 1), 0);
  }

  @Test
  void withOnePrototypeTheRunnerUpIsNullAndUnsetColumnsAreNotProduced() {
    KPrototypesModel single = handModel(new double[] {4}, new int[] {1}).setRunnerUpCol("second")
        .setRunnerUpDistanceCol("second_distance");
    for (Row row : single.transform(handRows()).select("second", "second_distance").collectAsList()) {
      assertNull(row.get(0));
      assertNull(row.get(1));
    }
    KPrototypesModel plain = handModel(new double[] {0, 4, 10}, new int[] {0, 1, 0});
    assertFalse(plain.getRunnerUpCol().isPresent());
    assertEquals(List.of("id", "x", "c", "prediction", "distance"), List.of(plain.transform(handRows()).columns()));
  }

  private static List<Object> cells(Row row) {
    return List.of(row.get(0), row.get(1), row.get(2), row.get(3));
  }
}
