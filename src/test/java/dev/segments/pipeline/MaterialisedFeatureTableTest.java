package dev.segments.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.segments.LocalSpark;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.StorageStatus;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The pipeline's feature table must survive the loss of the executor that holds it: Dataproc's dynamic allocation
 * removes executors along with their cached blocks (RDD.localCheckpoint's documentation, Spark 3.5). Losing every
 * block is simulated by removing them from the block managers, as losing their executors does.
 */
class MaterialisedFeatureTableTest {
  private static final SparkSession SPARK = LocalSpark.session();

  private static Set<Integer> cachedRddIds() {
    Set<Integer> ids = new HashSet<>();
    for (StorageStatus status : SparkEnv.get().blockManager().master().getStorageStatus()) {
      for (BlockId block : CollectionConverters.asJava(status.rddBlocks().keys())) {
        ids.add(((RDDBlockId) block).rddId());
      }
    }
    return ids;
  }

  @Test
  void theFeatureTableIsRebuiltWhenItsBlocksAreLost() {
    Dataset<Row> features = SPARK.range(0, 5000, 1, 3).selectExpr("id", "id * 2 as twice").repartition(4);
    Set<Integer> before = cachedRddIds();
    Pipeline.Materialised materialised = Pipeline.materialised(features, List.of(), List.of(), 1);
    Dataset<Row> table = materialised.table();
    try {
      assertEquals(5000L, materialised.summary().customers());
      Set<Integer> added = cachedRddIds();
      added.removeAll(before);
      assertFalse(added.isEmpty(), "the table is materialised before it is returned");
      for (int id : added) {
        SparkEnv.get().blockManager().master().removeRdd(id, true);
      }
      Row sums = table.selectExpr("count(*)", "sum(twice)").first();
      assertEquals(5000L, sums.getLong(0));
      assertEquals(4999L * 5000L, sums.getLong(1));
    } finally {
      table.unpersist();
    }
  }
}
