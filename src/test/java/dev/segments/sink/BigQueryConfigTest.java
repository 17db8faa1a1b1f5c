package dev.segments.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BigQueryConfigTest {
  @Test
  void theWriteMethodFollowsTheBucketWhenNotGiven() {
    assertEquals("direct", new BigQueryConfig("example-project", "sales", null, null, null, null).writeMethod());
    assertEquals("indirect",
        new BigQueryConfig("example-project", "sales", "EU", "tmp-bucket", null, Map.of()).writeMethod());
    assertEquals("direct",
        new BigQueryConfig("example-project", "sales", "EU", "tmp-bucket", "DIRECT", Map.of()).writeMethod());
  }

  @Test
  void indirectWritesNeedABucket() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new BigQueryConfig("example-project", "sales", "EU", null, "indirect", Map.of()));
    assertTrue(error.getMessage().contains("bigquery.temporary_gcs_bucket"), error.getMessage());
  }

  @Test
  void badValuesAreRejectedNamingTheKey() {
    assertKey("bigquery.project", () -> new BigQueryConfig("My Project", "sales", null, null, null, null));
    assertKey("bigquery.dataset", () -> new BigQueryConfig("example-project", "sales-eu", null, null, null, null));
    assertKey("bigquery.temporary_gcs_bucket",
        () -> new BigQueryConfig("example-project", "sales", null, "gs://bucket", null, null));
    assertKey("bigquery.write_method",
        () -> new BigQueryConfig("example-project", "sales", null, null, "streaming", null));
    assertKey("bigquery.labels", () -> new BigQueryConfig("example-project", "sales", null, null, null,
        Map.of("Team", "bi")));
    assertKey("bigquery.labels.team", () -> new BigQueryConfig("example-project", "sales", null, null, null,
        Map.of("team", "Business Intelligence")));
    assertKey("bigquery.labels", () -> new BigQueryConfig("example-project", "sales", null, null, null,
        Map.of("run_id", "x")));
  }

  private static void assertKey(String key, Runnable construction) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, construction::run);
    assertTrue(error.getMessage().startsWith(key + " is "), error.getMessage());
  }

  @Test
  void namesAreFullyQualified() {
    BigQueryConfig config = new BigQueryConfig("example-project", "sales", null, null, null, null);
    assertEquals("example-project.sales.quarantine", config.tableId("quarantine"));
    assertEquals("`example-project.sales.quarantine`", config.sqlReference("quarantine"));
  }
}
