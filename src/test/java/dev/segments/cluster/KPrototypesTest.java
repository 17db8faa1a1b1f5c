package dev.segments.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Properties of the fit and of the model that hold whatever the data. */
class KPrototypesTest {
  private static final SparkSession SPARK = LocalSpark.session();
  private static final MixedRows DATA = MixedRows.planted(240, 3, 2, 2, 0.6, 0.8, 11);

  private static KPrototypes estimator(int k) {
    return new KPrototypes().setK(k).setSeed(5).setNumericCols(DATA.numericCols())
        .setCategoricalCols(DATA.categoricalCols());
  }

  @Test
  void costNeverRisesBetweenIterations() {
    MixedRows overlapping = MixedRows.planted(300, 4, 3, 3, 2.5, 0.5, 3);
    KPrototypesModel model = new KPrototypes().setK(6).setSeed(1).setInitMode("random").setTol(0)
        .setNumericCols(overlapping.numericCols()).setCategoricalCols(overlapping.categoricalCols())
        .fit(overlapping.frame(SPARK).repartition(3));
    double[] history = model.costHistory();
    assertTrue(history.length > 2, "expected several iterations, got " + Arrays.toString(history));
    for (int i = 1; i < history.length; i++) {
      assertTrue(history[i] <= history[i - 1] * (1 + 1e-12), "cost rose at iteration " + i + ": "
          + Arrays.toString(history));
    }
    assertTrue(model.cost() <= history[history.length - 1] * (1 + 1e-12));
  }

  @Test
  void oneClusterIsTheGlobalMeanAndModes() {
    KPrototypesModel model = estimator(1).setScaling("zscore").fit(DATA.frame(SPARK));
    int n = DATA.size();
    for (int f = 0; f < DATA.numericCols().length; f++) {
      double sum = 0;
      for (double[] row : DATA.numeric()) {
        sum += row[f];
      }
      assertEquals(sum / n, MixedRows.centres(model)[0][f], 1e-9);
      assertEquals(0.0, model.scaledNumericCenters()[0][f], 1e-9, "z-scored mean is zero");
    }
    for (int f = 0; f < DATA.categoricalCols().length; f++) {
      Map<String, Integer> counts = new TreeMap<>();
      for (String[] row : DATA.categories()) {
        counts.merge(row[f], 1, Integer::sum);
      }
      String mode = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      assertEquals(mode, MixedRows.modes(model)[0][f]);
    }
    assertArrayEquals(new long[] {n}, model.clusterSizes());
  }

  @Test
  void numericOnlyAgreesWithMllibKMeansFromTheSameCentres() {
    MixedRows data = MixedRows.planted(300, 4, 3, 0, 2.0, 1.0, 8);
    double[][] starts = {data.numeric()[0], data.numeric()[1], data.numeric()[2], data.numeric()[7]};
    KPrototypesModel ours = new KPrototypes().setK(4).setScaling("none").setTol(0).setMaxIter(100)
        .setNumericCols(data.numericCols()).setStartingPrototypes(starts, new String[4][0])
        .fit(data.frame(SPARK));

    List<Vector> points = Arrays.stream(data.numeric()).map(Vectors::dense).toList();
    org.apache.spark.mllib.clustering.KMeansModel initial = new org.apache.spark.mllib.clustering.KMeansModel(
        Arrays.stream(starts).map(Vectors::dense).toArray(Vector[]::new));
    org.apache.spark.mllib.clustering.KMeansModel mllib = new KMeans().setK(4).setMaxIterations(100).setEpsilon(0)
        .setInitialModel(initial).run(SPARK.sparkContext().parallelize(
            scala.jdk.javaapi.CollectionConverters.asScala(points).toSeq(), 3,
            scala.reflect.ClassTag$.MODULE$.apply(Vector.class)));

    for (int j = 0; j < 4; j++) {
      assertArrayEquals(mllib.clusterCenters()[j].toArray(), MixedRows.centres(ours)[j], 1e-9, "centre " + j);
    }
    int[] predicted = MixedRows.predictions(ours.transform(data.frame(SPARK)), "prediction");
    for (int i = 0; i < data.size(); i++) {
      assertEquals(mllib.predict(points.get(i)), predicted[i], "row " + i);
    }
    assertEquals(mllib.computeCost(SPARK.sparkContext().parallelize(
        scala.jdk.javaapi.CollectionConverters.asScala(points).toSeq(), 2,
        scala.reflect.ClassTag$.MODULE$.apply(Vector.class))), ours.cost(), 1e-9 * ours.cost());
  }

  @Test
  void categoricalOnlyIsKModesWithDistancesCountingMismatches() {
    MixedRows data = MixedRows.planted(200, 3, 0, 5, 0, 0.9, 4);
    KPrototypesModel model = new KPrototypes().setK(3).setSeed(2).setNumInits(3).setInitMode("huang")
        .setCategoricalCols(data.categoricalCols()).fit(data.frame(SPARK));
    assertEquals(1.0, model.gamma(), "gamma is 1 when there is nothing numeric to weigh against");
    Dataset<Row> out = model.transform(data.frame(SPARK));
    List<Row> rows = out.select("id", "prediction", "distance").collectAsList();
    String[][] modes = MixedRows.modes(model);
    int[] predicted = new int[data.size()];
    for (Row row : rows) {
      int id = row.getInt(0);
      predicted[id] = row.getInt(1);
      long mismatches = 0;
      for (int f = 0; f < modes[0].length; f++) {
        mismatches += data.categories()[id][f].equals(modes[row.getInt(1)][f]) ? 0 : 1;
      }
      assertEquals(mismatches, row.getDouble(2), 0.0);
    }
    assertTrue(AdjustedRandIndex.of(data.groups(), predicted) > 0.9);
  }

  @Test
  void savedAndLoadedModelPredictsTheSame(@TempDir Path dir) throws Exception {
    KPrototypesModel model = estimator(3).setNumInits(2).setPredictionCol("segment").fit(DATA.frame(SPARK));
    String path = dir.resolve("model").toString();
    model.write().save(path);
    KPrototypesModel loaded = KPrototypesModel.load(path);

    List<Row> before = model.transform(DATA.frame(SPARK)).select("id", "segment", "distance").orderBy("id")
        .collectAsList();
    List<Row> after = loaded.transform(DATA.frame(SPARK)).select("id", "segment", "distance").orderBy("id")
        .collectAsList();
    assertEquals(before, after);
    assertEquals(model.uid(), loaded.uid());
    assertEquals("segment", loaded.getPredictionCol());
    assertArrayEquals(model.numericCols(), loaded.numericCols());
    assertArrayEquals(model.categoricalCols(), loaded.categoricalCols());
    assertEquals(model.gamma(), loaded.gamma());
    assertEquals(model.cost(), loaded.cost());
    assertEquals(model.numIter(), loaded.numIter());
    assertArrayEquals(model.costHistory(), loaded.costHistory());
    assertArrayEquals(model.clusterSizes(), loaded.clusterSizes());
    assertArrayEquals(MixedRows.modes(model), MixedRows.modes(loaded));
    for (int j = 0; j < 3; j++) {
      assertArrayEquals(MixedRows.centres(model)[j], MixedRows.centres(loaded)[j], 0.0);
    }
  }

  @Test
  void loadRefusesAnotherClassesFiles(@TempDir Path dir) throws Exception {
    String path = dir.resolve("estimator").toString();
    estimator(2).write().save(path);
    assertEquals(4, KPrototypes.load(path).setK(4).getK());
    assertThrows(IllegalArgumentException.class, () -> KPrototypesModel.load(path));
  }

  @Test
  void sameSeedGivesTheSameModel() {
    KPrototypesModel first = estimator(3).setNumInits(2).fit(DATA.frame(SPARK).repartition(2));
    KPrototypesModel second = estimator(3).setNumInits(2).fit(DATA.frame(SPARK).repartition(2));
    assertEquals(first.cost(), second.cost());
    assertArrayEquals(MixedRows.modes(first), MixedRows.modes(second));
    for (int j = 0; j < 3; j++) {
      assertArrayEquals(MixedRows.centres(first)[j], MixedRows.centres(second)[j], 0.0);
    }
  }

  /** A cluster and local mode spread the same rows differently; the model must depend on the data and seed only. */
  @Test
  void partitioningAndRowOrderDoNotChangeTheModel() {
    MixedRows overlapping = MixedRows.planted(600, 4, 3, 3, 2.5, 0.5, 3);
    Dataset<Row> onePartition = overlapping.frame(SPARK).coalesce(1);
    Dataset<Row> shuffled = overlapping.frame(SPARK).orderBy(functions.rand(7)).repartition(5);
    for (String mode : InitMode.NAMES) {
      KPrototypes estimator = new KPrototypes().setK(6).setSeed(1).setInitMode(mode)
          .setNumericCols(overlapping.numericCols()).setCategoricalCols(overlapping.categoricalCols());
      KPrototypesModel first = estimator.fit(onePartition);
      KPrototypesModel second = estimator.fit(shuffled);
      assertEquals(first.cost(), second.cost(), first.cost() * 1e-9, mode);
      assertArrayEquals(MixedRows.modes(first), MixedRows.modes(second), mode);
      for (int j = 0; j < 6; j++) {
        assertArrayEquals(MixedRows.centres(first)[j], MixedRows.centres(second)[j], 1e-9, mode);
      }
      assertArrayEquals(MixedRows.predictions(first.transform(onePartition), "prediction"),
          MixedRows.predictions(second.transform(onePartition), "prediction"), mode);
    }
  }

  @Test
  void unseenCategoryMismatchesEveryMode() {
    KPrototypesModel model = estimator(3).setScaling("none").fit(DATA.frame(SPARK));
    Dataset<Row> one = DATA.frame(SPARK).limit(1).withColumn("c0", functions.lit("never-seen"));
    Row row = model.transform(one).first();
    double[] x = DATA.numeric()[row.<Integer>getAs("id")];
    String c1 = DATA.categories()[row.<Integer>getAs("id")][1];
    double best = Double.POSITIVE_INFINITY;
    for (int j = 0; j < 3; j++) {
      double d = 0;
      for (int f = 0; f < x.length; f++) {
        d += Math.pow(x[f] - MixedRows.centres(model)[j][f], 2);
      }
      d += model.gamma() * (1 + (c1.equals(MixedRows.modes(model)[j][1]) ? 0 : 1));
      best = Math.min(best, d);
    }
    assertEquals(best, row.<Double>getAs("distance"), 1e-9);
  }

  @Test
  void missingValuesFailNamingTheColumn() {
    Dataset<Row> nullNumber = DATA.frame(SPARK).withColumn("x1",
        functions.when(functions.col("id").equalTo(7), functions.lit(null)).otherwise(functions.col("x1")));
    IllegalArgumentException numeric = assertThrows(IllegalArgumentException.class,
        () -> estimator(2).fit(nullNumber));
    assertTrue(numeric.getMessage().contains("'x1'") && numeric.getMessage().contains("1 null"),
        numeric.getMessage());

    Dataset<Row> nullCategory = DATA.frame(SPARK).withColumn("c1",
        functions.when(functions.col("id").equalTo(7), functions.lit(null)).otherwise(functions.col("c1")));
    IllegalArgumentException categorical = assertThrows(IllegalArgumentException.class,
        () -> estimator(2).fit(nullCategory));
    assertTrue(categorical.getMessage().contains("'c1'"), categorical.getMessage());

    Dataset<Row> nan = DATA.frame(SPARK).withColumn("x0", functions.lit(Double.NaN));
    IllegalArgumentException notANumber = assertThrows(IllegalArgumentException.class, () -> estimator(2).fit(nan));
    assertTrue(notANumber.getMessage().contains("'x0'") && notANumber.getMessage().contains("NaN"));
  }

  @Test
  void moreClustersThanDistinctPointsFailsClearly() {
    Dataset<Row> threeDistinct = DATA.frame(SPARK).withColumn("x0", functions.col("id").mod(3).cast("double"))
        .withColumn("x1", functions.lit(1.0)).withColumn("c0", functions.lit("a")).withColumn("c1", functions.lit("b"));
    for (String mode : InitMode.NAMES) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
          () -> estimator(4).setInitMode(mode).fit(threeDistinct), mode);
      assertTrue(error.getMessage().contains("k=4") && error.getMessage().contains("distinct"), error.getMessage());
    }
  }

  @Test
  void everyInitModeFindsWellSeparatedGroups() {
    for (String mode : InitMode.NAMES) {
      // A random start puts one prototype in each of the three groups with probability 2/9 only, and Lloyd cannot
      // move a second prototype out of a well-separated group: random needs many starts to be sure of a good one.
      int starts = mode.equals("random") ? 20 : 2;
      KPrototypesModel model = estimator(3).setInitMode(mode).setNumInits(starts).fit(DATA.frame(SPARK));
      int[] predicted = MixedRows.predictions(model.transform(DATA.frame(SPARK)), "prediction");
      assertEquals(DATA.size(), Arrays.stream(model.clusterSizes()).sum(), mode);
      assertTrue(AdjustedRandIndex.of(DATA.groups(), predicted) > 0.9, mode);
    }
  }

  @Test
  void automaticGammaIsHalfTheMeanScaledStandardDeviation() {
    assertEquals(0.5, estimator(2).setScaling("zscore").fit(DATA.frame(SPARK)).gamma(), 1e-12,
        "z-scores have unit deviation");
    double sum = 0;
    for (int f = 0; f < 2; f++) {
      double mean = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double[] row : DATA.numeric()) {
        mean += row[f] / DATA.size();
        min = Math.min(min, row[f]);
        max = Math.max(max, row[f]);
      }
      double variance = 0;
      for (double[] row : DATA.numeric()) {
        variance += (row[f] - mean) * (row[f] - mean) / DATA.size();
      }
      sum += Math.sqrt(variance) / (max - min);
    }
    assertEquals(0.5 * sum / 2, estimator(2).setScaling("minmax").fit(DATA.frame(SPARK)).gamma(), 1e-12);
  }

  @Test
  void invalidParametersFailWhenSet() {
    assertThrows(IllegalArgumentException.class, () -> new KPrototypes().setK(0));
    assertThrows(IllegalArgumentException.class, () -> new KPrototypes().setInitMode("kmeans"));
    assertThrows(IllegalArgumentException.class, () -> new KPrototypes().setScaling("log"));
    IllegalArgumentException noColumns = assertThrows(IllegalArgumentException.class,
        () -> new KPrototypes().fit(DATA.frame(SPARK)));
    assertTrue(noColumns.getMessage().contains("at least one"));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> new KPrototypes().setNumericCols(new String[] {"nope"}).fit(DATA.frame(SPARK)));
    assertTrue(missing.getMessage().contains("'nope'"));
  }

  @Test
  void summaryCountsEveryCachedBlockRightAfterTheFit() {
    // The status store behind getRDDStorageInfo can lag right after caching (a benchmark run once read 0 bytes); the
    // block manager master cannot.
    for (int partitions = 1; partitions <= 8; partitions *= 2) {
      KPrototypesModel model = estimator(2).setNumInits(2).fit(DATA.frame(SPARK).repartition(partitions));
      long raw = (long) DATA.size() * (8L * DATA.numericCols().length + 4L * DATA.categoricalCols().length);
      long cached = model.summary().cacheBytes();
      assertTrue(cached >= raw && cached < 3 * raw + 4096L * partitions,
          partitions + " partitions: " + cached + " cached bytes for " + raw + " raw");
    }
  }
}
