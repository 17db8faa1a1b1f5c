package dev.segments.cluster;

import static dev.segments.cluster.KPrototypesParamsTest.withValueAt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * handleInvalid as Spark 3.5's feature transformers define it (VectorAssembler: "'skip' (filter out rows with invalid
 * data), 'error' (throw an error), or 'keep'"; StringIndexer the same names): here at transform 'keep' gives a null
 * prediction and distance, and at fit 'skip' and 'keep' both leave the rows out.
 */
class HandleInvalidTest {
  private static final SparkSession SPARK = LocalSpark.session();
  private static final MixedRows DATA = MixedRows.planted(150, 3, 2, 2, 0.8, 0.8, 21);
  private static final Set<Integer> BAD = Set.of(7, 40, 100, 149);

  private static KPrototypes estimator() {
    return new KPrototypes().setK(3).setSeed(4).setNumericCols(DATA.numericCols())
        .setCategoricalCols(DATA.categoricalCols());
  }

  /** Rows 7 (x1 null), 40 (x0 +Infinity), 100 (x1 NaN) and 149 (c1 null) cannot be assigned. */
  private static Dataset<Row> withBadRows() {
    Dataset<Row> frame = withValueAt(DATA.frame(SPARK), "x1", 7, functions.lit(null).cast("double"));
    frame = withValueAt(frame, "x0", 40, functions.lit(Double.POSITIVE_INFINITY));
    frame = withValueAt(frame, "x1", 100, functions.lit(Double.NaN));
    return withValueAt(frame, "c1", 149, functions.lit(null).cast("string"));
  }

  private static Map<Integer, Row> byId(Dataset<Row> transformed) {
    Map<Integer, Row> rows = new HashMap<>();
    for (Row row : transformed.select("id", "prediction", "distance").collectAsList()) {
      rows.put(row.getInt(0), row);
    }
    return rows;
  }

  @Test
  void errorNamesTheColumnAndTheRowOfEachKindOfBadValue() {
    KPrototypesModel model = estimator().fit(DATA.frame(SPARK));
    // 150 local rows in 4 partitions: 37, 38, 37, 38 rows.
    String[][] cases = {{"x1", "7", "null", "row 7 of input partition 0"},
        {"x0", "40", "Infinity", "row 3 of input partition 1"},
        {"x1", "100", "NaN", "row 25 of input partition 2"}};
    for (String[] c : cases) {
      Dataset<Row> input = c[2].equals("null")
          ? withValueAt(DATA.frame(SPARK), c[0], Integer.parseInt(c[1]), functions.lit(null).cast("double"))
          : withValueAt(DATA.frame(SPARK), c[0], Integer.parseInt(c[1]), functions.lit(Double.parseDouble(c[2])));
      String message = rootMessage(assertThrows(Exception.class, () -> model.transform(input).collectAsList()));
      assertTrue(message.contains("numeric column '" + c[0] + "' is " + c[2] + " in " + c[3]), message);
    }
    Dataset<Row> nullCategory = withValueAt(DATA.frame(SPARK), "c1", 149, functions.lit(null).cast("string"));
    String message = rootMessage(assertThrows(Exception.class,
        () -> model.transform(nullCategory).collectAsList()));
    assertTrue(message.contains("categorical column 'c1' is null in row 37 of input partition 3"), message);
  }

  @Test
  void skipDropsExactlyTheBadRowsAndAssignsTheOthersAsBefore() {
    KPrototypesModel model = estimator().fit(DATA.frame(SPARK));
    Map<Integer, Row> clean = byId(model.transform(DATA.frame(SPARK)));
    Dataset<Row> skipped = model.copy(new org.apache.spark.ml.param.ParamMap()).setHandleInvalid("skip")
        .transform(withBadRows());
    assertEquals(model.transformSchema(withBadRows().schema()), skipped.schema());
    Map<Integer, Row> rows = byId(skipped);
    assertEquals(DATA.size() - BAD.size(), rows.size());
    for (Map.Entry<Integer, Row> entry : rows.entrySet()) {
      assertFalse(BAD.contains(entry.getKey()));
      assertEquals(clean.get(entry.getKey()), entry.getValue());
    }
  }

  @Test
  void keepGivesBadRowsANullPredictionAndDistance() {
    KPrototypesModel model = estimator().fit(DATA.frame(SPARK)).setHandleInvalid("keep");
    Map<Integer, Row> clean = byId(model.transform(DATA.frame(SPARK)));
    Dataset<Row> kept = model.transform(withBadRows());
    assertTrue(kept.schema().apply("prediction").nullable() && kept.schema().apply("distance").nullable());
    assertEquals(model.transformSchema(withBadRows().schema()), kept.schema());
    Map<Integer, Row> rows = byId(kept);
    assertEquals(DATA.size(), rows.size());
    for (Map.Entry<Integer, Row> entry : rows.entrySet()) {
      if (BAD.contains(entry.getKey())) {
        assertTrue(entry.getValue().isNullAt(1) && entry.getValue().isNullAt(2), entry.getValue().toString());
      } else {
        assertEquals(clean.get(entry.getKey()), entry.getValue());
      }
    }
  }

  @Test
  void skipAndKeepAtFitLeaveTheBadRowsOut() {
    Dataset<Row> valid = withBadRows().filter(functions.not(functions.col("id").isin(BAD.toArray())));
    KPrototypesModel reference = estimator().fit(valid);
    for (String mode : new String[] {"skip", "keep"}) {
      KPrototypesModel model = estimator().setHandleInvalid(mode).fit(withBadRows());
      // Partitions' sums merge in the order their tasks end: the last bits may differ.
      assertEquals(reference.cost(), model.cost(), 1e-9 * reference.cost(), mode);
      assertArrayEquals(reference.clusterSizes(), model.clusterSizes(), mode);
      assertArrayEquals(MixedRows.modes(reference), MixedRows.modes(model), mode);
      for (int j = 0; j < reference.k(); j++) {
        assertArrayEquals(MixedRows.centres(reference)[j], MixedRows.centres(model)[j], 1e-9, mode);
      }
      assertEquals(mode, model.getHandleInvalid(), "the model inherits the estimator's choice");
    }
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> estimator().fit(withBadRows()));
    assertTrue(error.getMessage().contains("'x0'") || error.getMessage().contains("'x1'"), error.getMessage());
  }

  @Test
  void skipWithNothingLeftFailsClearly() {
    Dataset<Row> allBad = DATA.frame(SPARK).withColumn("x0", functions.lit(Double.NaN));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> estimator().setHandleInvalid("skip").fit(allBad));
    assertTrue(error.getMessage().contains("every one of the 150 rows"), error.getMessage());
  }

  static String rootMessage(Throwable failure) {
    Throwable cause = failure;
    while (cause != null && !(cause instanceof IllegalArgumentException)) {
      cause = cause.getCause();
    }
    return cause == null ? String.valueOf(failure) : cause.getMessage();
  }
}
