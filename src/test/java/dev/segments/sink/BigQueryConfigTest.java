package dev.segments.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BigQueryConfigTest {
  @Test
  void theIndirectMethodIsTheOnlyOneAndOptionalKeysHaveDefaults() {
    BigQueryConfig config = BigQueryConfig.of("example-project", "sales", "EU", "tmp-bucket");
    assertEquals("indirect", config.writeMethod());
    assertEquals(Duration.ofDays(1), config.stagingExpiration());
    assertEquals(Map.of(), config.labels());
    assertEquals(null, config.endpoint());
  }

  @Test
  void theDirectMethodIsRefusedSayingWhy() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new BigQueryConfig(
        "example-project", "sales", "EU", "tmp-bucket", "DIRECT", null, null, null, null, null));
    assertTrue(error.getMessage().startsWith("bigquery.write_method is 'direct'"), error.getMessage());
    assertTrue(error.getMessage().contains("one transaction"), error.getMessage());
  }

  @Test
  void locationAndBucketAreRequired() {
    assertKey("bigquery.location", () -> BigQueryConfig.of("example-project", "sales", null, "tmp-bucket"));
    assertKey("bigquery.temporary_gcs_bucket", () -> BigQueryConfig.of("example-project", "sales", "EU", null));
  }

  @Test
  void badValuesAreRejectedNamingTheKey() {
    assertKey("bigquery.project", () -> BigQueryConfig.of("My Project", "sales", "EU", "b-1"));
    assertKey("bigquery.dataset", () -> BigQueryConfig.of("example-project", "sales-eu", "EU", "b-1"));
    assertKey("bigquery.location", () -> BigQueryConfig.of("example-project", "sales", "EU west", "b-1"));
    assertKey("bigquery.temporary_gcs_bucket", () -> BigQueryConfig.of("example-project", "sales", "EU", "gs://b-1"));
    assertKey("bigquery.write_method", () -> new BigQueryConfig("example-project", "sales", "EU", "b-1",
        "streaming", null, null, null, null, null));
    assertKey("bigquery.labels", () -> new BigQueryConfig("example-project", "sales", "EU", "b-1", null,
        Map.of("Team", "bi"), null, null, null, null));
    assertKey("bigquery.labels.team", () -> new BigQueryConfig("example-project", "sales", "EU", "b-1", null,
        Map.of("team", "Business Intelligence"), null, null, null, null));
    assertKey("bigquery.labels", () -> new BigQueryConfig("example-project", "sales", "EU", "b-1", null,
        Map.of("run_id", "x"), null, null, null, null));
    assertKey("bigquery.staging_expiration", () -> new BigQueryConfig("example-project", "sales", "EU", "b-1", null,
        null, Duration.ofMinutes(1), null, null, null));
    assertKey("bigquery.endpoint", () -> new BigQueryConfig("example-project", "sales", "EU", "b-1", null,
        null, null, "ftp://127.0.0.1:21", null, null));
  }

  private static void assertKey(String key, Runnable construction) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, construction::run);
    assertTrue(error.getMessage().startsWith(key + " is "), error.getMessage());
  }

  @Test
  void namesAreFullyQualified() {
    BigQueryConfig config = BigQueryConfig.of("example-project", "sales", "EU", "b-1");
    assertEquals("example-project.sales.quarantine", config.tableId("quarantine"));
    assertEquals("`example-project.sales.quarantine`", config.sqlReference("quarantine"));
  }
}
