package dev.segments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.ingest.DataContract;
import dev.segments.ingest.DateOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  private static PipelineConfig load(Path file, String... overrides) {
    return ConfigLoader.load(ConfigLoader.tree(file, List.of(overrides)), Clock.systemUTC());
  }

  @Test
  void defaultsRunTheSampleLocallyWithAutomaticK() {
    PipelineConfig config = load(null);
    assertEquals("csv", config.source());
    assertEquals(Path.of("data/sample"), config.input());
    assertEquals("local", config.sink());
    assertNull(config.clustering().k());
    assertArrayEquals(new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10}, config.clustering().candidateKs());
    assertNull(config.clustering().gamma());
    assertEquals(DataContract.defaultLayout(), config.contract());
  }

  @Test
  void runDateDefaultsToTodayInLondonNotUtc() {
    // 23:30 UTC on 30 June is already 1 July in London (BST, UTC+1).
    Clock lateJune = Clock.fixed(Instant.parse("2026-06-30T23:30:00Z"), ZoneOffset.UTC);
    PipelineConfig config = ConfigLoader.load(ConfigLoader.tree(null, List.of()), lateJune);
    assertEquals(LocalDate.of(2026, 7, 1), config.asOf());
    assertTrue(config.runId().startsWith("2026-07-01-"), config.runId());
  }

  @Test
  void fileOverridesDefaultsAndFlagsOverrideFile() throws IOException {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, """
        input: /data/export
        clustering:
          k: 4
          seed: 7
        spark:
          conf:
            spark.executor.memory: 2g
        """);
    PipelineConfig config = load(file, "clustering.seed=9", "spark.conf.spark.sql.shuffle.partitions=3");
    assertEquals(Path.of("/data/export"), config.input());
    assertEquals(4, config.clustering().k());
    assertEquals(9, config.clustering().seed());
    assertEquals("2g", config.spark().conf().get("spark.executor.memory"));
    assertEquals("3", config.spark().conf().get("spark.sql.shuffle.partitions"));
    assertEquals("k-prototypes||", config.clustering().init(), "untouched keys keep their default");
  }

  @Test
  void namedFlagsBecomeOverridesThatWin() {
    ConfigOptions options = new ConfigOptions();
    options.overrides = List.of("clustering.k=3");
    options.k = "6";
    options.asOf = "2025-12-15";
    options.master = "local[4]";
    PipelineConfig config = options.load();
    assertEquals(6, config.clustering().k());
    assertEquals(LocalDate.of(2025, 12, 15), config.asOf());
    assertEquals("local[4]", config.spark().master());
  }

  @Test
  void unknownKeyIsNamed() throws IOException {
    Path file = dir.resolve("typo.yaml");
    Files.writeString(file, "clustering:\n  kmax: 4\n");
    ConfigException error = assertThrows(ConfigException.class, () -> load(file));
    assertTrue(error.getMessage().contains("clustering.kmax"), error.getMessage());
    ConfigException flag = assertThrows(ConfigException.class, () -> load(null, "clustring.k=3"));
    assertTrue(flag.getMessage().contains("clustring"), flag.getMessage());
  }

  @Test
  void invalidValuesNameTheKey() {
    assertTrue(assertThrows(ConfigException.class, () -> load(null, "clustering.init=kmeans"))
        .getMessage().contains("clustering.init"));
    assertTrue(assertThrows(ConfigException.class, () -> load(null, "sink=s3"))
        .getMessage().contains("sink"));
    assertTrue(assertThrows(ConfigException.class, () -> load(null, "as_of=17/03/2026"))
        .getMessage().contains("as_of"));
    assertTrue(assertThrows(ConfigException.class, () -> load(null, "clustering.k_min=1"))
        .getMessage().contains("k_min"));
  }

  @Test
  void contractFromFileRenamesColumnsAndKeepsRoles() throws IOException {
    String contractYaml = ConfigLoader.toYaml(ConfigLoader.tree(null, List.of()))
        .replace("Premium", "Amount").replace("date_order: AUTO", "date_order: day_first");
    Path file = dir.resolve("retail.yaml");
    Files.writeString(file, contractYaml);
    DataContract contract = load(file).contract();
    assertEquals("Amount", contract.salesAmount());
    assertEquals(DateOrder.DAY_FIRST, contract.dateOrder());
    assertTrue(contract.sales().column("Amount").isPresent());
    assertEquals("customers", contract.customers().role());
  }

  @Test
  void productionConfigOfTheNightlyBatchLoads() throws IOException {
    String template = Files.readString(Path.of("dataproc/production.yaml"));
    Path filled = dir.resolve("production.yaml");
    Files.writeString(filled, template.replaceAll("\\$\\{([A-Z_]+)}", "filled-$1"));
    PipelineConfig config = load(filled);
    assertEquals("sheets", config.source());
    assertEquals("bigquery", config.sink());
    assertEquals("filled-SPREADSHEET_ID", config.sheets().path("spreadsheet_id").asText());
    assertEquals("filled-GCS_BUCKET", config.bigquery().path("temporary_gcs_bucket").asText());
    // The values are placeholders here; the shape binds, and the location keeps UK data in London.
    String bound = config.bigquery().deepCopy().toString();
    assertTrue(bound.contains("\"location\":\"europe-west2\""), bound);
  }

  @Test
  void theBigQuerySectionBindsWithItsDefaultsAndNamesAMissingLocation() {
    PipelineConfig config = ConfigLoader.load(ConfigLoader.tree(null, List.of("sink=bigquery",
        "bigquery.project=acme-segments", "bigquery.location=EU", "bigquery.temporary_gcs_bucket=acme-runs")),
        java.time.Clock.systemUTC());
    dev.segments.sink.BigQueryConfig bigquery =
        ConfigLoader.bind(config.bigquery(), "bigquery", dev.segments.sink.BigQueryConfig.class);
    assertEquals("indirect", bigquery.writeMethod());
    assertEquals(java.time.Duration.ofHours(24), bigquery.stagingExpiration());
    assertEquals(null, bigquery.endpoint());

    PipelineConfig noLocation = ConfigLoader.load(ConfigLoader.tree(null, List.of("sink=bigquery",
        "bigquery.project=acme-segments", "bigquery.temporary_gcs_bucket=acme-runs")), java.time.Clock.systemUTC());
    ConfigException error = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigLoader.bind(noLocation.bigquery(), "bigquery", dev.segments.sink.BigQueryConfig.class));
    assertTrue(error.getMessage().contains("bigquery.location is missing"), error.getMessage());
  }
}
