package dev.segments.cluster;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading models: across format versions, with either kind of column missing, inside a PipelineModel. */
class KPrototypesPersistenceTest {
  private static final SparkSession SPARK = LocalSpark.session();

  private static List<Row> assignments(Dataset<Row> transformed, String prediction) {
    return transformed.select("id", prediction, "distance").orderBy("id").collectAsList();
  }

  /**
   * A model saved by the release before format versions were recorded (by the test data's seed: MixedRows.planted(60,
   * 3, 2, 2, 0.6, 0.8, 31), k=3, seed 9, predictionCol segment), with the assignments it gave then.
   */
  @Test
  void aModelSavedBeforeFormatVersionsStillLoadsAndAssignsAsItDid() throws Exception {
    Path fixture = Path.of(getClass().getResource("model-before-versioning").toURI());
    KPrototypesModel loaded = KPrototypesModel.load(fixture.resolve("model").toString());
    assertEquals("segment", loaded.getPredictionCol());
    assertEquals("error", loaded.getHandleInvalid(), "a param the old release did not have takes its default");
    MixedRows data = MixedRows.planted(60, 3, 2, 2, 0.6, 0.8, 31);
    List<Row> rows = assignments(loaded.transform(data.frame(SPARK)), "segment");
    List<String> expected = Files.readAllLines(fixture.resolve("expected-assignments.csv"));
    assertEquals(expected.size() - 1, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      String[] cells = expected.get(i + 1).split(",");
      assertEquals(Integer.parseInt(cells[0]), rows.get(i).getInt(0));
      assertEquals(Integer.parseInt(cells[1]), rows.get(i).getInt(1), "row " + i);
      assertEquals(Double.parseDouble(cells[2]), rows.get(i).getDouble(2), 1e-12, "row " + i);
    }
  }

  /** Before format version 3 a model carried only its column and output params: a fixed k read back as 2. */
  @Test
  void aModelSavedBeforeItCarriedItsParamsTakesKGammaAndScalingFromItsFiles() throws Exception {
    Path fixture = Path.of(getClass().getResource("model-before-versioning").toURI());
    KPrototypesModel loaded = KPrototypesModel.load(fixture.resolve("model").toString());
    assertEquals(3, loaded.getK());
    assertEquals(loaded.gamma(), loaded.getGamma());
    assertEquals("zscore", loaded.getScaling(), "the scaling of the release that saved it");
    assertEquals(100, loaded.getMaxIter(), "a fit param the files do not hold takes its default");
  }

  @Test
  void aFittedModelCarriesTheParamsItWasFittedWithThroughSaveAndLoad(@TempDir Path dir) throws Exception {
    MixedRows data = MixedRows.planted(120, 3, 2, 2, 0.6, 0.8, 5);
    KPrototypes estimator = new KPrototypes().setSeed(11).setInitMode("huang").setNumInits(2).setMaxIter(40)
        .setTol(1e-5).setScaling("zscore").setNumericCols(data.numericCols())
        .setCategoricalCols(data.categoricalCols());
    KPrototypesModel model = estimator.fitRange(data.frame(SPARK), 2, 3).models().get(3);
    String path = dir.resolve("model").toString();
    model.write().save(path);
    for (KPrototypesModel m : List.of(model, KPrototypesModel.load(path))) {
      assertEquals(3, m.getK(), "the k of the fit, not the estimator's k param");
      assertEquals(m.gamma(), m.getGamma(), "gamma as Huang's rule computed it");
      assertEquals("zscore", m.getScaling());
      assertEquals(11, m.getSeed());
      assertEquals("huang", m.getInitMode());
      assertEquals(2, m.getNumInits());
      assertEquals(40, m.getMaxIter());
      assertEquals(1e-5, m.getTol());
      assertTrue(m.zScored());
    }
  }

  /**
   * Models saved before the runner-up columns existed (the version 1 fixture, and a version 2 model saved without
   * them) load, and give the runner-up once it is asked for: the nearest prototype but the assigned one.
   */
  @Test
  void modelsSavedBeforeTheRunnerUpColumnsLoadAndGiveThem(@TempDir Path dir) throws Exception {
    MixedRows data = MixedRows.planted(60, 3, 2, 2, 0.6, 0.8, 31);
    KPrototypesModel v1 = KPrototypesModel.load(Path.of(getClass().getResource("model-before-versioning").toURI())
        .resolve("model").toString());
    String path = dir.resolve("v2").toString();
    fit(data, 3).write().save(path);
    for (KPrototypesModel loaded : List.of(v1, KPrototypesModel.load(path))) {
      assertTrue(loaded.getRunnerUpCol().isEmpty(), "unset in a model saved without it");
      List<Row> rows = loaded.setRunnerUpCol("second").setRunnerUpDistanceCol("second_distance")
          .transform(data.frame(SPARK)).select("id", loaded.getPredictionCol(), "second", "second_distance")
          .orderBy("id").collectAsList();
      for (Row row : rows) {
        int id = row.getInt(0);
        int second = -1;
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < loaded.k(); j++) {
          double d = loaded.distance(data.numeric()[id], data.categories()[id], j);
          if (j != row.getInt(1) && d < best) {
            best = d;
            second = j;
          }
        }
        assertEquals(second, row.getInt(2), "row " + id);
        assertEquals(best, row.getDouble(3), 1e-12 * Math.max(1, best), "row " + id);
      }
    }
  }

  @Test
  void filesAreReadByColumnNameAndCarryTheFormatVersion(@TempDir Path dir) throws Exception {
    MixedRows data = MixedRows.planted(120, 3, 2, 2, 0.6, 0.8, 5);
    KPrototypesModel model = fit(data, 3);
    String path = dir.resolve("model").toString();
    model.write().save(path);
    assertEquals(KPrototypesModelWriter.FORMAT_VERSION, new ObjectMapper().readTree(metadataFile(path).toFile())
        .path("formatVersion").asInt(-1));
    // Every table rewritten with its columns in reverse order.
    for (String table : new String[] {"training", "prototypes", "dictionaries"}) {
      Dataset<Row> saved = SPARK.read().parquet(path + "/" + table);
      List<Column> reversed = new ArrayList<>();
      for (String name : saved.columns()) {
        reversed.add(functions.col(name));
      }
      Collections.reverse(reversed);
      String copy = dir.resolve(table + "-reversed").toString();
      saved.select(reversed.toArray(new Column[0])).write().parquet(copy);
      SPARK.read().parquet(copy).write().mode("overwrite").parquet(path + "/" + table);
    }
    KPrototypesModel loaded = KPrototypesModel.load(path);
    assertEquals(assignments(model.transform(data.frame(SPARK)), "prediction"),
        assignments(loaded.transform(data.frame(SPARK)), "prediction"));
    assertEquals(model.cost(), loaded.cost());
    assertArrayEquals(model.clusterSizes(), loaded.clusterSizes());
  }

  @Test
  void aNewerFormatVersionFailsWithAClearMessage(@TempDir Path dir) throws Exception {
    String path = dir.resolve("model").toString();
    fit(MixedRows.planted(60, 2, 1, 1, 0.5, 0.9, 3), 2).write().save(path);
    Path metadata = metadataFile(path);
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(metadata.toFile());
    json.put("formatVersion", 99);
    Files.writeString(metadata, json.toString());
    Files.deleteIfExists(metadata.resolveSibling("." + metadata.getFileName() + ".crc"));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> KPrototypesModel.load(path));
    assertTrue(error.getMessage().contains("format version 99") && error.getMessage().contains(path),
        error.getMessage());
  }

  @Test
  void modelsWithoutNumericOrWithoutCategoricalColumnsFitTransformAndRoundTrip(@TempDir Path dir) throws Exception {
    MixedRows numericOnly = MixedRows.planted(150, 3, 3, 0, 0.5, 1.0, 12);
    MixedRows categoricalOnly = MixedRows.planted(150, 3, 0, 4, 0, 0.9, 13);
    for (MixedRows data : new MixedRows[] {numericOnly, categoricalOnly}) {
      String kind = data.numericCols().length == 0 ? "categorical only" : "numeric only";
      KPrototypesModel model = fit(data, 3);
      List<Row> before = assignments(model.transform(data.frame(SPARK)), "prediction");
      assertEquals(data.size(), before.size(), kind);
      int[] predicted = before.stream().mapToInt(row -> row.getInt(1)).toArray();
      assertTrue(AdjustedRandIndex.of(data.groups(), predicted) > 0.8, kind);
      String path = dir.resolve(kind.replace(' ', '-')).toString();
      model.write().save(path);
      KPrototypesModel loaded = KPrototypesModel.load(path);
      assertEquals(before, assignments(loaded.transform(data.frame(SPARK)), "prediction"), kind);
      assertArrayEquals(MixedRows.modes(model), MixedRows.modes(loaded), kind);
      assertEquals(data.numericCols().length, MixedRows.centres(loaded)[0].length, kind);
      for (int j = 0; j < 3; j++) {
        assertArrayEquals(MixedRows.centres(model)[j], MixedRows.centres(loaded)[j], 0.0, kind);
      }
    }
  }

  @Test
  void aModelInsideAPipelineModelRoundTrips(@TempDir Path dir) throws Exception {
    MixedRows data = MixedRows.planted(150, 3, 2, 2, 0.6, 0.8, 14);
    KPrototypes estimator = new KPrototypes().setK(3).setSeed(2).setNumericCols(data.numericCols())
        .setCategoricalCols(data.categoricalCols()).setPredictionCol("segment").setHandleInvalid("keep");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {estimator});
    PipelineModel fitted = pipeline.fit(data.frame(SPARK));
    fitted.write().save(dir.resolve("pipeline-model").toString());
    pipeline.write().save(dir.resolve("pipeline").toString());

    PipelineModel loaded = PipelineModel.load(dir.resolve("pipeline-model").toString());
    KPrototypesModel stage = (KPrototypesModel) loaded.stages()[0];
    assertEquals("keep", stage.getHandleInvalid());
    List<Row> expected = assignments(fitted.transform(data.frame(SPARK)), "segment");
    assertEquals(expected, assignments(loaded.transform(data.frame(SPARK)), "segment"));
    PipelineModel refitted = Pipeline.load(dir.resolve("pipeline").toString()).fit(data.frame(SPARK));
    List<Row> again = assignments(refitted.transform(data.frame(SPARK)), "segment");
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).getInt(1), again.get(i).getInt(1), "the loaded pipeline fits the same model");
    }
  }

  private static KPrototypesModel fit(MixedRows data, int k) {
    return new KPrototypes().setK(k).setSeed(3).setNumericCols(data.numericCols())
        .setCategoricalCols(data.categoricalCols()).fit(data.frame(SPARK));
  }

  private static Path metadataFile(String modelPath) {
    return Path.of(modelPath, "metadata", "part-00000");
  }
}
