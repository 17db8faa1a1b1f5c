package dev.segments.cluster;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** Empty clusters forced on purpose, and rows that weigh nothing. Scaling none and a set gamma keep units plain. */
class EmptyClustersAndWeightsTest {
  private static final SparkSession SPARK = LocalSpark.session();
  private static final MixedRows DATA = MixedRows.planted(120, 3, 2, 2, 0.7, 0.8, 8);
  private static final double GAMMA = 1.0;

  /** Starts at rows 0 and 1 (groups 0 and 1) and at a point so far away that no row is nearest to it. */
  private static KPrototypes withAFarStart() {
    double[][] numeric = {DATA.numeric()[0], DATA.numeric()[1], {1000, 1000}};
    String[][] categories = {DATA.categories()[0], DATA.categories()[1], {"v0", "v0"}};
    return new KPrototypes().setK(3).setScaling("none").setGamma(GAMMA).setTol(0)
        .setNumericCols(DATA.numericCols()).setCategoricalCols(DATA.categoricalCols())
        .setStartingPrototypes(numeric, categories);
  }

  private static double distance(double[] x, String[] c, double[] center, String[] mode) {
    double d = 0;
    for (int f = 0; f < x.length; f++) {
      d += (x[f] - center[f]) * (x[f] - center[f]);
    }
    for (int f = 0; f < c.length; f++) {
      d += c[f].equals(mode[f]) ? 0 : GAMMA;
    }
    return d;
  }

  /** The row farthest from the nearer of the two near starts, among rows whose weight is above 0 (all when null). */
  private static int farthestRow(double[] weights) {
    int farthest = -1;
    double most = -1;
    for (int i = 0; i < DATA.size(); i++) {
      if (weights != null && weights[i] == 0) {
        continue;
      }
      double nearest = Math.min(
          distance(DATA.numeric()[i], DATA.categories()[i], DATA.numeric()[0], DATA.categories()[0]),
          distance(DATA.numeric()[i], DATA.categories()[i], DATA.numeric()[1], DATA.categories()[1]));
      if (nearest > most) {
        most = nearest;
        farthest = i;
      }
    }
    return farthest;
  }

  @Test
  void anEmptyClusterIsReseededAtTheFarthestRow() {
    KPrototypesModel oneStep = withAFarStart().setMaxIter(1).fit(DATA.frame(SPARK));
    int farthest = farthestRow(null);
    assertArrayEquals(DATA.numeric()[farthest], MixedRows.centres(oneStep)[2], 0.0);
    assertArrayEquals(DATA.categories()[farthest], MixedRows.modes(oneStep)[2]);
    assertTrue(oneStep.clusterSizes()[2] >= 1, Arrays.toString(oneStep.clusterSizes()));

    KPrototypesModel converged = withAFarStart().fit(DATA.frame(SPARK));
    assertEquals(3, Arrays.stream(converged.clusterSizes()).filter(size -> size > 0).count());
    int[] predicted = MixedRows.predictions(converged.transform(DATA.frame(SPARK)), "prediction");
    assertTrue(AdjustedRandIndex.of(DATA.groups(), predicted) > 0.9, "the re-seeded cluster finds the third group");
  }

  /** A row that weighs nothing cannot hold a cluster: re-seeding at it would leave the cluster empty again. */
  @Test
  void anEmptyClusterIsNotReseededAtARowThatWeighsNothing() {
    int farthest = farthestRow(null);
    double[] weights = new double[DATA.size()];
    Arrays.fill(weights, 1.0);
    weights[farthest] = 0;
    Dataset<Row> input = DATA.frame(SPARK).withColumn("w",
        functions.when(functions.col("id").equalTo(farthest), 0.0).otherwise(1.0));
    KPrototypesModel oneStep = withAFarStart().setWeightCol("w").setMaxIter(1).fit(input);
    int heaviestFarthest = farthestRow(weights);
    assertTrue(heaviestFarthest != farthest);
    assertArrayEquals(DATA.numeric()[heaviestFarthest], MixedRows.centres(oneStep)[2], 0.0);
  }

  /** Rows of weight 0 change nothing but the row counts, however far out they lie. */
  @Test
  void rowsOfWeightZeroDoNotMoveTheModel() {
    Dataset<Row> weighted = DATA.frame(SPARK);
    Dataset<Row> outliers = DATA.frame(SPARK).filter("id % 4 = 0")
        .withColumn("x0", functions.col("x0").plus(50)).withColumn("w", functions.lit(0.0));
    KPrototypes estimator = withAFarStart().setWeightCol("w");
    KPrototypesModel without = estimator.fit(weighted);
    KPrototypesModel with = estimator.fit(weighted.union(outliers));
    assertEquals(without.cost(), with.cost(), 1e-9 * without.cost());
    assertEquals(without.numIter(), with.numIter());
    assertArrayEquals(MixedRows.modes(without), MixedRows.modes(with));
    for (int j = 0; j < 3; j++) {
      assertArrayEquals(MixedRows.centres(without)[j], MixedRows.centres(with)[j], 1e-9);
    }
    assertEquals(DATA.size() + DATA.size() / 4, Arrays.stream(with.clusterSizes()).sum());
  }
}
