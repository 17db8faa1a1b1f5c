package dev.segments.config;

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
    assertEquals(Source.CSV, config.source());
    assertEquals(Path.of("data/sample"), config.input());
    assertEquals(Sink.LOCAL, config.sink());
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
  void aRunDateOfTomorrowIsAcceptedAndALaterOneRefused() {
    Clock lateJune = Clock.fixed(Instant.parse("2026-06-30T23:30:00Z"), ZoneOffset.UTC); // 1 July in London
    assertEquals(LocalDate.of(2026, 7, 2),
        ConfigLoader.load(ConfigLoader.tree(null, List.of("as_of=2026-07-02")), lateJune).asOf());
    ConfigException error = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(ConfigLoader.tree(null, List.of("as_of=2026-07-03")), lateJune));
    assertEquals("as_of 2026-07-03 is in the future (today in London is 2026-07-01); a run date may be at most"
        + " tomorrow", error.getMessage());
  }

  @Test
  void theCsvEncodingAndCellLinesAreCheckedWhenLoaded() {
    assertEquals("ISO-8859-1", load(null, "input_encoding=latin1").csv().encoding());
    assertEquals(100, load(null).csv().maxCellLines());
    assertTrue(assertThrows(ConfigException.class, () -> load(null, "input_encoding=UTF-16")).getMessage()
        .contains("not ASCII-compatible"));
    assertTrue(assertThrows(ConfigException.class, () -> load(null, "input_max_cell_lines=0")).getMessage()
        .contains("input_max_cell_lines must be at least 1"));
  }

  @Test
  void aSheetMayNameItsOwnEncoding() {
    assertEquals("ISO-8859-1", load(null, "input_encodings.customers=latin1").csv().sheetEncodings().get("customers"));
    assertEquals("UTF-8", load(null, "input_encodings.customers=latin1").csv().encoding());
    assertEquals("input_encodings.orders names no sheet of the contract (customers, products, sales)",
        assertThrows(ConfigException.class, () -> load(null, "input_encodings.orders=latin1")).getMessage());
    assertTrue(assertThrows(ConfigException.class, () -> load(null, "input_encodings.sales=UTF-16")).getMessage()
        .startsWith("input_encodings.sales 'UTF-16' is not ASCII-compatible"));
  }

  @Test
  void aRunIdIsWhatABigQueryLabelValueMayHold() {
    assertEquals("night-2_b", load(null, "run_id=night-2_b").runId());
    assertEquals("42", load(null, "run_id=42").runId());
    assertTrue(load(null).runId().matches("\\d{4}-\\d{2}-\\d{2}-\\d{6}-[0-9a-f]{8}"), load(null).runId());
    for (String bad : List.of(".", "..", "../x", "a/b", "-a", "Night", "a b", "x".repeat(64))) {
      ConfigException error = assertThrows(ConfigException.class, () -> load(null, "run_id=" + bad), bad);
      assertTrue(error.getMessage().startsWith("run_id '" + bad + "' must be 1 to 63 lower-case letters"),
          error.getMessage());
    }
  }

  @Test
  void aKeyWrittenTwiceIsAnErrorNamingIt() throws IOException {
    Path file = dir.resolve("twice.yaml");
    Files.writeString(file, "clustering:\n  k: 4\n  seed: 1\n  k: 5\n");
    ConfigException error = assertThrows(ConfigException.class, () -> load(file));
    assertTrue(error.getMessage().contains("'k'"), error.getMessage());
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
    // Placeholders that pass each key's own validation, which now runs at load.
    Files.writeString(filled, java.util.regex.Pattern.compile("\\$\\{([A-Z_]+)}").matcher(template)
        .replaceAll(m -> "filled" + m.group(1).toLowerCase(java.util.Locale.ROOT).replace("_", "")));
    PipelineConfig config = load(filled);
    assertEquals(Source.SHEETS, config.source());
    assertEquals(Sink.BIGQUERY, config.sink());
    assertEquals("filledspreadsheetid", config.sheets().spreadsheetId());
    assertEquals("filledgcsbucket", config.bigquery().temporaryGcsBucket());
    // The values are placeholders here; the shape binds, and the location keeps UK data in London.
    assertEquals("europe-west2", config.bigquery().location());
  }

  @Test
  void theBigQuerySectionBindsWithItsDefaultsAndNamesAMissingLocation() {
    PipelineConfig config = ConfigLoader.load(ConfigLoader.tree(null, List.of("sink=bigquery",
        "bigquery.project=acme-segments", "bigquery.location=EU", "bigquery.temporary_gcs_bucket=acme-runs")),
        java.time.Clock.systemUTC());
    dev.segments.sink.BigQueryConfig bigquery = config.bigquery();
    assertEquals("indirect", bigquery.writeMethod());
    assertEquals(java.time.Duration.ofHours(24), bigquery.stagingExpiration());
    assertEquals(null, bigquery.endpoint());
    assertEquals(new dev.segments.sink.PublishRetry(5, java.time.Duration.ofSeconds(30),
        java.time.Duration.ofMinutes(4)), bigquery.publishRetry());
    assertEquals(null, bigquery.partitionExpirationDays(), "every night is kept unless configured");

    // Bound at load, so `segment config` refuses what the run would.
    ConfigException error = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigLoader.load(ConfigLoader.tree(null, List.of("sink=bigquery", "bigquery.project=acme-segments",
            "bigquery.temporary_gcs_bucket=acme-runs")), java.time.Clock.systemUTC()));
    assertTrue(error.getMessage().contains("bigquery.location is missing"), error.getMessage());
  }
}
