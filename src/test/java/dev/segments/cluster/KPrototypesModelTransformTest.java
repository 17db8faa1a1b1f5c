package dev.segments.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
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
}
