package dev.segments.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/**
 * k-prototypes|| keeps each row's cost between its steps. A cached block that is evicted (MEMORY_AND_DISK only
 * narrows that: a lost executor loses both) is rebuilt from the input's lineage, and an input read through a shuffle
 * may give a partition's rows in another order each time. The costs must follow the rows, not their positions.
 */
class ParallelInitTest {
  private static final SparkSession SPARK = LocalSpark.session();

  @Test
  void blocksRebuiltInAnotherRowOrderOnEveryReadGiveTheSameStart() {
    MixedRows data = MixedRows.planted(2000, 5, 3, 2, 1.5, 0.6, 17);
    Dataset<Row> frame = data.frame(SPARK).repartition(3);
    Dataset<Row> features = frame.selectExpr("x0", "x1", "x2", "c0", "c1");
    FeatureStatistics stats = FeatureStatistics.of(frame, data.numericCols(), data.categoricalCols(), null);
    NumericScaler scaler = Scaling.ZSCORE.scalerFor(stats, frame, data.numericCols());

    JavaRDD<FeatureBlock> cached = BlockPacker.pack(features, 3, 2, false, scaler, stats.dictionaries(), 0)
        .persist(StorageLevel.MEMORY_AND_DISK());
    cached.count();
    // Not cached, and every read of a partition shuffles its rows afresh: the worst case of a block evicted and
    // rebuilt between the job that computed its costs and the job that reads them.
    JavaRDD<Row> reshuffled = features.javaRDD().mapPartitions(rows -> {
      List<Row> list = new ArrayList<>();
      rows.forEachRemaining(list::add);
      Collections.shuffle(list, new Random(System.nanoTime()));
      return list.iterator();
    });
    JavaRDD<FeatureBlock> rebuilt = BlockPacker.pack(SPARK.createDataFrame(reshuffled, features.schema()), 3, 2,
        false, scaler, stats.dictionaries(), 0);
    try {
      int[] cardinalities = stats.dictionaries().cardinalities();
      // Several starts of two k advanced together, as the k search does.
      List<InitMode.Request> requests = new ArrayList<>();
      for (long seed = 1; seed <= 3; seed++) {
        requests.add(new InitMode.Request(6, seed, (int) seed - 1));
        requests.add(new InitMode.Request(4, 10 + seed, (int) seed - 1));
      }
      List<InitMode.Chosen> expected = InitMode.PARALLEL.chooseAll(
          new InitMode.Inputs(cached, stats.rows(), 0.5, 4, cardinalities), requests);
      List<InitMode.Chosen> actual = InitMode.PARALLEL.chooseAll(
          new InitMode.Inputs(rebuilt, stats.rows(), 0.5, 4, cardinalities), requests);
      for (int r = 0; r < requests.size(); r++) {
        Prototypes want = expected.get(r).prototypes();
        Prototypes got = actual.get(r).prototypes();
        String which = requests.get(r).toString();
        assertEquals(requests.get(r).k(), got.k, which);
        assertTrue(distinctCount(got) == got.k, which);
        assertArrayEquals(want.centers, got.centers, 0.0, which);
        assertArrayEquals(want.modes, got.modes, which);
      }
    } finally {
      cached.unpersist(false);
    }
  }

  private static int distinctCount(Prototypes p) {
    int distinct = 0;
    for (int j = 0; j < p.k; j++) {
      boolean seen = false;
      for (int i = 0; i < j && !seen; i++) {
        seen = Arrays.equals(p.centers, i * p.numeric, (i + 1) * p.numeric, p.centers, j * p.numeric,
            (j + 1) * p.numeric) && Arrays.equals(p.modes, i * p.categorical, (i + 1) * p.categorical, p.modes,
            j * p.categorical, (j + 1) * p.categorical);
      }
      if (!seen) {
        distinct++;
      }
    }
    return distinct;
  }
}
