package dev.segments.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The distributed fit against {@link ReferenceKPrototypes}, run from the same starting prototypes: same assignments,
 * prototypes and cost, whatever the seed, the weights and the number of partitions.
 */
class KPrototypesReferenceTest {
  private static final double GAMMA = 0.8;

  @ParameterizedTest(name = "seed {0}, {1} partitions, weighted {2}")
  @CsvSource({"1, 1, false", "2, 3, true", "3, 8, false", "4, 3, false"})
  void matchesThePlainReferenceImplementation(long seed, int partitions, boolean weighted) {
    // Overlapping groups, so rows really move between clusters over several iterations.
    MixedRows data = MixedRows.planted(300, 4, 3, 3, 2.5, 0.6, seed);
    double[] weights = weighted ? data.weights() : ones(data.size());
    int k = 5;
    int[] starts = distinctRows(data, k, seed);
    double[][] initialCenters = new double[k][];
    String[][] initialModes = new String[k][];
    for (int j = 0; j < k; j++) {
      initialCenters[j] = data.numeric()[starts[j]].clone();
      initialModes[j] = data.categories()[starts[j]].clone();
    }

    ReferenceKPrototypes.Result expected = new ReferenceKPrototypes(data.numeric(), data.categories(), weights, GAMMA)
        .fit(initialCenters, initialModes, 100);

    KPrototypes estimator = new KPrototypes().setK(k).setGamma(GAMMA).setScaling("none").setTol(0).setMaxIter(100)
        .setNumericCols(data.numericCols()).setCategoricalCols(data.categoricalCols())
        .setStartingPrototypes(initialCenters, initialModes);
    if (weighted) {
      estimator.setWeightCol("w");
    }
    Dataset<Row> frame = data.frame(LocalSpark.session()).repartition(partitions);
    KPrototypesModel model = estimator.fit(frame);

    assertArrayEquals(expected.assignment(), MixedRows.predictions(model.transform(frame), "prediction"));
    double[][] centers = MixedRows.centres(model);
    for (int j = 0; j < k; j++) {
      assertArrayEquals(expected.centers()[j], centers[j], 1e-9, "centre " + j);
      assertArrayEquals(expected.modes()[j], MixedRows.modes(model)[j], "modes " + j);
    }
    assertEquals(expected.cost(), model.cost(), 1e-9 * expected.cost());
    assertTrue(model.numIter() > 1, "the data should take several iterations, took " + model.numIter());
  }

  private static double[] ones(int n) {
    double[] ones = new double[n];
    java.util.Arrays.fill(ones, 1.0);
    return ones;
  }

  private static int[] distinctRows(MixedRows data, int k, long seed) {
    Random random = new Random(seed);
    int[] rows = new int[k];
    for (int j = 0; j < k; j++) {
      rows[j] = random.nextInt(data.size());
      for (int i = 0; i < j; i++) {
        if (rows[i] == rows[j]) {
          j--;
          break;
        }
      }
    }
    return rows;
  }
}
