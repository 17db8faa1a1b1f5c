package dev.segments.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.SharedDatasets;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** The clusters found recover known groups, measured by the adjusted Rand index. */
class KPrototypesQualityTest {
  private static final SparkSession SPARK = LocalSpark.session();

  @Test
  void recoversPlantedMixedGroups() {
    // Noisy enough that neither part alone separates the groups perfectly: sd 1.2 against centres 4 apart, and one
    // category in three drawn at random.
    MixedRows data = MixedRows.planted(600, 4, 3, 3, 1.2, 0.66, 21);
    KPrototypesModel model = new KPrototypes().setK(4).setSeed(3).setNumInits(3)
        .setNumericCols(data.numericCols()).setCategoricalCols(data.categoricalCols())
        .fit(data.frame(SPARK).repartition(3));
    double ari = AdjustedRandIndex.of(data.groups(), MixedRows.predictions(model.transform(data.frame(SPARK)),
        "prediction"));
    assertTrue(ari > 0.9, "adjusted Rand index " + ari);
  }

  /**
   * UCI soybean (small): 47 rows, 35 categorical attributes, 4 diseases. kmodes' own tests recover the classes
   * exactly with Huang init and two starts, and with Cao init. The integer codes are read as category strings.
   */
  @Test
  void recoversTheSoybeanDiseases() {
    Dataset<Row> soybean = SPARK.read().option("inferSchema", "false")
        .csv(SharedDatasets.folder("soybean_small").resolve("soybean.csv").toString());
    String[] attributes = new String[35];
    for (int f = 0; f < 35; f++) {
      attributes[f] = "_c" + f;
    }
    Dataset<Row> withId = soybean.withColumn("id", functions.monotonically_increasing_id());
    List<Row> truth = withId.select("id", "_c35").orderBy("id").collectAsList();
    assertEquals(47, truth.size());
    int[] diseases = truth.stream().mapToInt(r -> Integer.parseInt(r.getString(1).substring(1))).toArray();

    for (String init : new String[] {"huang", "cao", "k-prototypes||"}) {
      KPrototypesModel model = new KPrototypes().setK(4).setSeed(42).setNumInits(init.equals("cao") ? 1 : 4)
          .setInitMode(init).setCategoricalCols(attributes).fit(withId);
      List<Row> rows = model.transform(withId).select("id", "prediction").orderBy("id").collectAsList();
      int[] predicted = rows.stream().mapToInt(r -> r.getInt(1)).toArray();
      double ari = AdjustedRandIndex.of(diseases, predicted);
      // Cao is deterministic and finds the exact classes, as in kmodes; the random inits get 4 starts and the looser
      // bound (all three reached 1.0 when this was written).
      assertTrue(init.equals("cao") ? ari == 1.0 : ari > 0.8, init + ": adjusted Rand index " + ari);
    }
  }
}
