package dev.segments.sink.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FormatOptions;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics;
import com.google.cloud.bigquery.LoadJobConfiguration;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.TimePartitioning;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each BigQuery rule the loopback enforces (listed in {@link BigQueryRules} with its source), broken
 * through the real official client, fails as BigQuery fails; the data is left as it was.
 */
class LoopbackRulesTest {
  private static final String PROJECT = "rules-project";
  private static final String SEGMENTS = "`rules-project.sales.segments`";
  private LoopbackBigQuery server;
  private BigQuery bigQuery;
  private Path euBucket;
  private Path usBucket;
  private String euName;
  private String usName;

  @BeforeEach
  void start() throws Exception {
    server = LoopbackBigQuery.start(PROJECT);
    euName = "rules-eu-" + System.nanoTime();
    usName = "rules-us-" + System.nanoTime();
    euBucket = server.createBucket(euName, "EU");
    usBucket = server.createBucket(usName, "US");
    bigQuery = server.client("EU");
    bigQuery.create(DatasetInfo.newBuilder(PROJECT, "sales").setLocation("EU").build());
    query("CREATE TABLE " + SEGMENTS + " (run_date DATE NOT NULL, customer_id STRING, segment_id INT64) "
        + "PARTITION BY run_date CLUSTER BY segment_id");
    query("INSERT INTO " + SEGMENTS + " VALUES (DATE '2026-11-29', 'a', 1), (DATE '2026-11-30', 'b', 2)");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private List<List<String>> query(String sql) throws InterruptedException {
    return QueryRows.of(bigQuery, sql);
  }

  private List<List<String>> segments() throws InterruptedException {
    return query("SELECT CAST(run_date AS STRING), customer_id, segment_id FROM " + SEGMENTS + " ORDER BY 1, 2");
  }

  /** Writes a Parquet file with DuckDB (not the server's) into a bucket folder; answers its gs:// URI. */
  private static String parquet(Path bucketFolder, String bucketName, String name, String select) throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement statement = duck.createStatement()) {
      statement.execute("COPY (" + select + ") TO '" + bucketFolder.resolve(name) + "' (FORMAT PARQUET)");
    }
    return "gs://" + bucketName + "/" + name;
  }

  /** The error a load job ends with: the client raises it from waitFor as BigQueryException. */
  private String error(LoadJobConfiguration configuration) throws InterruptedException {
    try {
      Job job = bigQuery.create(JobInfo.of(configuration)).waitFor();
      BigQueryError error = job.getStatus().getError();
      assertNotNull(error, "the job should have failed");
      return error.getReason() + ": " + error.getMessage();
    } catch (BigQueryException e) {
      return e.getReason() + ": " + e.getMessage();
    }
  }

  private Job load(LoadJobConfiguration configuration) throws InterruptedException {
    return bigQuery.create(JobInfo.of(configuration)).waitFor();
  }

  @Test
  void schemaUpdateOptionsNeedWriteAppendOrATruncatedPartition() throws Exception {
    String night = parquet(euBucket, euName, "night.parquet", "SELECT DATE '2026-11-30' AS run_date, 'c' AS "
        + "customer_id, 3::BIGINT AS segment_id, 0.5 AS distance");
    String refused = error(LoadJobConfiguration.newBuilder(TableId.of("sales", "segments"), night,
            FormatOptions.parquet())
        .setWriteDisposition(JobInfo.WriteDisposition.WRITE_TRUNCATE)
        .setSchemaUpdateOptions(List.of(JobInfo.SchemaUpdateOption.ALLOW_FIELD_ADDITION)).build());
    assertEquals("invalid: Schema update options should only be specified with WRITE_APPEND disposition, or with "
        + "WRITE_TRUNCATE disposition on a table partition.", refused);
    assertEquals(List.of(List.of("2026-11-29", "a", "1"), List.of("2026-11-30", "b", "2")), segments());

    Job partition = load(LoadJobConfiguration.newBuilder(TableId.of("sales", "segments$20261130"), night,
            FormatOptions.parquet())
        .setWriteDisposition(JobInfo.WriteDisposition.WRITE_TRUNCATE)
        .setSchemaUpdateOptions(List.of(JobInfo.SchemaUpdateOption.ALLOW_FIELD_ADDITION)).build());
    assertNull(partition.getStatus().getError());
    assertEquals(1L, ((JobStatistics.LoadStatistics) partition.getStatistics()).getOutputRows());
    assertEquals(List.of(List.of("2026-11-29", "a", "1"), List.of("2026-11-30", "c", "3")), segments(),
        "only the decorated partition is replaced");
    assertEquals(List.of(List.of("0.5")), query("SELECT distance FROM " + SEGMENTS + " WHERE distance IS NOT NULL"),
        "the new field is added");
  }

  @Test
  void partitionDecoratorsNeedAPartitionedTableTheirTypeAndMatchingRows() throws Exception {
    query("CREATE TABLE `rules-project.sales.flat` (run_date DATE, customer_id STRING)");
    String night = parquet(euBucket, euName, "flat.parquet", "SELECT DATE '2026-11-30' AS run_date, 'c' AS "
        + "customer_id");
    assertTrue(error((LoadJobConfiguration.newBuilder(TableId.of("sales", "flat$20261130"), night,
            FormatOptions.parquet()).build()))
        .contains("Cannot add storage to a non-partitioned table with a partition reference"));
    assertTrue(error((LoadJobConfiguration.newBuilder(TableId.of("sales", "segments$202611"), night,
            FormatOptions.parquet()).build()))
        .contains("Invalid partition decorator $202611"));
    String otherDay = parquet(euBucket, euName, "other-day.parquet", "SELECT DATE '2026-11-29' AS run_date, 'z' AS "
        + "customer_id, 7::BIGINT AS segment_id");
    assertTrue(error((LoadJobConfiguration.newBuilder(TableId.of("sales", "segments$20261130"), otherDay,
            FormatOptions.parquet()).setWriteDisposition(JobInfo.WriteDisposition.WRITE_TRUNCATE).build()))
        .contains("Some rows belong to different partitions rather than destination partition 20261130"));
    assertEquals(List.of(List.of("2026-11-29", "a", "1"), List.of("2026-11-30", "b", "2")), segments(),
        "a refused load changes nothing");
  }

  @Test
  void anExistingTableKeepsItsPartitioningSpec() throws Exception {
    String night = parquet(euBucket, euName, "spec.parquet", "SELECT DATE '2026-11-30' AS run_date, 'c' AS "
        + "customer_id, 3::BIGINT AS segment_id");
    String load = error(LoadJobConfiguration.newBuilder(TableId.of("sales", "segments"), night,
            FormatOptions.parquet())
        .setTimePartitioning(TimePartitioning.newBuilder(TimePartitioning.Type.DAY).build()).build());
    assertEquals("invalid: Incompatible table partitioning specification. Expects partitioning specification "
        + "interval(type:day,field:run_date) clustering(segment_id), but input partitioning specification is "
        + "interval(type:day,field:_PARTITIONTIME)", load);
    BigQueryException replace = assertThrows(BigQueryException.class, () -> query("CREATE OR REPLACE TABLE "
        + SEGMENTS + " (run_date DATE, customer_id STRING, segment_id INT64)"));
    assertTrue(replace.getMessage().startsWith("Cannot replace a table with a different partitioning spec."),
        replace.getMessage());
    assertEquals(2, segments().size());
  }

  @Test
  void jobsRunWhereTheDatasetIsAndLoadsReadOnlyColocatedBuckets() throws Exception {
    BigQueryException elsewhere = assertThrows(BigQueryException.class, () -> server.client("US")
        .query(QueryJobConfiguration.of("SELECT COUNT(*) FROM " + SEGMENTS)));
    assertEquals(404, elsewhere.getCode());
    assertTrue(elsewhere.getMessage().contains("was not found in location US"), elsewhere.getMessage());

    String fromUs = parquet(usBucket, usName, "us.parquet", "SELECT DATE '2026-11-30' AS run_date, 'c' AS "
        + "customer_id, 3::BIGINT AS segment_id");
    assertEquals("invalid: Cannot read and write in different locations: source: US, destination: EU",
        error((LoadJobConfiguration.newBuilder(TableId.of("sales", "segments"), fromUs, FormatOptions.parquet())
            .build())));
    assertTrue(BigQueryRules.canLoad("EU", "europe-west1"), "europe-west1 is inside the EU multi-region");
    assertTrue(!BigQueryRules.canLoad("EU", "europe-west2") && !BigQueryRules.canLoad("europe-west2", "EU"),
        "London is not in the EU multi-region, and a regional dataset loads only from its region");
    assertTrue(BigQueryRules.canLoad("US", "europe-west2"), "a US multi-region dataset loads from anywhere");
  }

  @Test
  void dispositionsAreHonoured() throws Exception {
    String night = parquet(euBucket, euName, "d.parquet", "SELECT DATE '2026-11-30' AS run_date, 'c' AS "
        + "customer_id, 3::BIGINT AS segment_id");
    assertTrue(error((LoadJobConfiguration.newBuilder(TableId.of("sales", "missing"), night,
            FormatOptions.parquet()).setCreateDisposition(JobInfo.CreateDisposition.CREATE_NEVER).build()))
        .startsWith("notFound: Not found: Table rules-project:sales.missing"));
    assertTrue(error((LoadJobConfiguration.newBuilder(TableId.of("sales", "segments"), night,
            FormatOptions.parquet()).setWriteDisposition(JobInfo.WriteDisposition.WRITE_EMPTY).build()))
        .startsWith("duplicate: Already Exists: Table rules-project:sales.segments"));
    assertTrue(error((LoadJobConfiguration.newBuilder(TableId.of("sales", "segments"),
            "gs://" + euName + "/nothing-*.parquet", FormatOptions.parquet()).build()))
        .startsWith("notFound: Not found: URI gs://" + euName + "/nothing-*.parquet"));
    String extra = parquet(euBucket, euName, "extra.parquet", "SELECT DATE '2026-11-30' AS run_date, 'c' AS "
        + "customer_id, 3::BIGINT AS segment_id, 'x' AS surprise");
    assertTrue(error((LoadJobConfiguration.newBuilder(TableId.of("sales", "segments"), extra,
            FormatOptions.parquet()).build()))
        .contains("Cannot add fields (field: surprise)"));
    assertEquals(2, segments().size());
    Job created = load(LoadJobConfiguration.newBuilder(TableId.of("sales", "fresh"), "gs://" + euName + "/d.*",
        FormatOptions.parquet()).setWriteDisposition(JobInfo.WriteDisposition.WRITE_EMPTY).build());
    assertNull(created.getStatus().getError());
    assertEquals(List.of(List.of("1")), query("SELECT COUNT(*) FROM `rules-project.sales.fresh`"));
  }

  @Test
  void transactionsAreAtomicAndTakeNoDdlOnPermanentTables() throws Exception {
    BigQueryException ddl = assertThrows(BigQueryException.class, () -> query("BEGIN TRANSACTION;\n"
        + "DELETE FROM " + SEGMENTS + " WHERE run_date = DATE '2026-11-30';\n"
        + "CREATE TABLE `rules-project.sales.inside` (x INT64);\n"
        + "COMMIT TRANSACTION;"));
    assertTrue(ddl.getMessage().contains("not supported inside a transaction"), ddl.getMessage());
    assertEquals(2, segments().size());
    assertEquals(List.of("segments"), server.tableNames("sales"));

    BigQueryException noWhere = assertThrows(BigQueryException.class, () -> query("DELETE FROM " + SEGMENTS));
    assertTrue(noWhere.getMessage().contains("must have a WHERE clause"), noWhere.getMessage());
    query("BEGIN TRANSACTION;\nDELETE FROM " + SEGMENTS + " WHERE TRUE;\nROLLBACK TRANSACTION;");
    assertEquals(2, segments().size(), "ROLLBACK TRANSACTION abandons the changes");
    query("BEGIN TRANSACTION;\nDELETE FROM " + SEGMENTS + " WHERE TRUE;");
    assertEquals(2, segments().size(), "a script that ends before COMMIT is rolled back");

    BigQueryException raised = assertThrows(BigQueryException.class, () -> query("BEGIN\n"
        + "  BEGIN TRANSACTION;\n"
        + "  DELETE FROM " + SEGMENTS + " WHERE run_date = DATE '2026-11-30';\n"
        + "  SELECT ERROR('no staged rows');\n"
        + "  COMMIT TRANSACTION;\n"
        + "EXCEPTION WHEN ERROR THEN\n"
        + "  ROLLBACK TRANSACTION;\n"
        + "  RAISE USING MESSAGE = @@error.message;\n"
        + "END;"));
    assertTrue(raised.getMessage().contains("no staged rows"), raised.getMessage());
    assertEquals(2, segments().size(), "the handler's ROLLBACK leaves the table as it was");
  }

  @Test
  void namesFollowBigQuerysRules() {
    BigQueryException dataset = assertThrows(BigQueryException.class,
        () -> bigQuery.create(DatasetInfo.newBuilder(PROJECT, "bad-name").setLocation("EU").build()));
    assertEquals(400, dataset.getCode());
    assertTrue(dataset.getMessage().startsWith("Invalid dataset ID \"bad-name\""), dataset.getMessage());
    BigQueryException table = assertThrows(BigQueryException.class, () -> bigQuery.create(
        TableInfo.of(TableId.of("sales", "t$1"), StandardTableDefinition.newBuilder()
            .build())));
    assertEquals(400, table.getCode());
  }

  @Test
  void zetaSqlRefusesWhatBigQueryRefusesAndDryRunsAnswerTheSchema() throws Exception {
    BigQueryException syntax = assertThrows(BigQueryException.class, () -> query("SELEC 1"));
    assertEquals(400, syntax.getCode());
    assertEquals("invalidQuery", syntax.getReason());
    assertTrue(syntax.getMessage().startsWith("Syntax error"), syntax.getMessage());
    BigQueryException types = assertThrows(BigQueryException.class,
        () -> query("SELECT customer_id + 1 FROM " + SEGMENTS));
    assertTrue(types.getMessage().contains("No matching signature for operator +"), types.getMessage());

    Job dryRun = bigQuery.create(JobInfo.of(QueryJobConfiguration.newBuilder("SELECT customer_id, segment_id FROM "
        + SEGMENTS).setDryRun(true).build()));
    JobStatistics.QueryStatistics statistics = dryRun.getStatistics();
    assertEquals(List.of("customer_id", "segment_id"), statistics.getSchema().getFields().stream()
        .map(com.google.cloud.bigquery.Field::getName).toList());
    BigQueryException badDryRun = assertThrows(BigQueryException.class, () -> bigQuery.create(JobInfo.of(
        QueryJobConfiguration.newBuilder("SELECT nope FROM " + SEGMENTS).setDryRun(true).build())));
    assertEquals(400, badDryRun.getCode());
  }

  /** Labels: lowercase letters, international characters, digits, _ and - (labels-intro#requirements). */
  @Test
  void labelsWithCapitalsOrSpacesAreRefused() throws Exception {
    BigQueryException dataset = assertThrows(BigQueryException.class, () -> bigQuery.create(DatasetInfo
        .newBuilder(PROJECT, "labelled").setLocation("EU").setLabels(Map.of("Team", "sales")).build()));
    assertEquals(400, dataset.getCode());
    assertTrue(dataset.getMessage().startsWith("Invalid label key \"Team\""), dataset.getMessage());
    BigQueryException table = assertThrows(BigQueryException.class, () -> bigQuery.create(TableInfo
        .newBuilder(TableId.of("sales", "labelled"), StandardTableDefinition.of(Schema.of()))
        .setLabels(Map.of("team", "sales team")).build()));
    assertTrue(table.getMessage().startsWith("Invalid label value \"sales team\""), table.getMessage());
    BigQueryException job = assertThrows(BigQueryException.class, () -> bigQuery.query(QueryJobConfiguration
        .newBuilder("SELECT 1").setLabels(Map.of("run-ID", "x")).build()));
    assertEquals(400, job.getCode());
    BigQueryException ddl = assertThrows(BigQueryException.class, () -> query("CREATE TABLE "
        + "`rules-project.sales.labelled` (x INT64) OPTIONS (labels = [('owner', 'Data Team')])"));
    assertTrue(ddl.getMessage().startsWith("Invalid label value \"Data Team\""), ddl.getMessage());
    assertEquals(List.of("segments"), server.tableNames("sales"));

    bigQuery.create(DatasetInfo.newBuilder(PROJECT, "labelled").setLocation("EU")
        .setLabels(Map.of("équipe", "données", "run_id", "")).build());
    assertEquals(Map.of("équipe", "données", "run_id", ""), bigQuery.getDataset("labelled").getLabels(),
        "international characters and empty values are allowed");
  }

  /** JobReference.jobId: letters, digits, _ and -, at most 1024 characters. */
  @Test
  void jobIdsWithDotsAreRefused() throws Exception {
    BigQueryException dotted = assertThrows(BigQueryException.class, () -> bigQuery.create(JobInfo.of(
        JobId.of("night.2026-11-30"), QueryJobConfiguration.of("SELECT 1"))));
    assertEquals(400, dotted.getCode());
    assertTrue(dotted.getMessage().startsWith("Invalid job ID \"night.2026-11-30\""), dotted.getMessage());
    Job fine = bigQuery.create(JobInfo.of(JobId.of("night_2026-11-30"), QueryJobConfiguration.of("SELECT 1")))
        .waitFor();
    assertNull(fine.getStatus().getError());
  }

  /** Column names: no reserved prefix, at most 300 characters (schemas#column_names). */
  @Test
  void reservedAndOverlongColumnNamesAreRefused() throws Exception {
    BigQueryException reserved = assertThrows(BigQueryException.class, () -> query("CREATE TABLE "
        + "`rules-project.sales.reserved` (_PARTITIONTIME TIMESTAMP)"));
    assertEquals(400, reserved.getCode());
    assertTrue(reserved.getMessage().contains("reserved prefix _PARTITION"), reserved.getMessage());
    BigQueryException lowerCase = assertThrows(BigQueryException.class, () -> bigQuery.create(TableInfo.of(
        TableId.of("sales", "reserved"), StandardTableDefinition.of(Schema.of(Field.of("_table_suffix",
            StandardSQLTypeName.STRING))))));
    assertTrue(lowerCase.getMessage().contains("reserved prefix _TABLE_"), lowerCase.getMessage());
    BigQueryException added = assertThrows(BigQueryException.class, () -> query("ALTER TABLE " + SEGMENTS
        + " ADD COLUMN _file_name STRING"));
    assertTrue(added.getMessage().contains("reserved prefix _FILE_"), added.getMessage());
    String longest = "c".repeat(300);
    BigQueryException overlong = assertThrows(BigQueryException.class, () -> query("CREATE TABLE "
        + "`rules-project.sales.wide` (" + longest + "x INT64)"));
    assertTrue(overlong.getMessage().contains("1 to 300 characters"), overlong.getMessage());
    query("CREATE TABLE `rules-project.sales.wide` (" + longest + " INT64)");
    assertEquals(List.of("segments", "wide"), server.tableNames("sales"));
  }

  /** Clustering columns: top-level, non-repeated, of the listed types; not FLOAT64 (creating-clustered-tables). */
  @Test
  void clusteringOnFloatIsRefused() throws Exception {
    BigQueryException floats = assertThrows(BigQueryException.class, () -> bigQuery.create(TableInfo.of(
        TableId.of("sales", "scores"), StandardTableDefinition.newBuilder().setSchema(Schema.of(Field.of("score",
            StandardSQLTypeName.FLOAT64))).setClustering(com.google.cloud.bigquery.Clustering.newBuilder()
            .setFields(List.of("score")).build()).build())));
    assertEquals(400, floats.getCode());
    assertTrue(floats.getMessage().contains("Field score of type FLOAT cannot be used for clustering"),
        floats.getMessage());
    BigQueryException ddl = assertThrows(BigQueryException.class, () -> query("CREATE TABLE "
        + "`rules-project.sales.scores` (run_date DATE, score FLOAT64) PARTITION BY run_date CLUSTER BY score"));
    assertTrue(ddl.getMessage().contains("may not be a floating point type"), ddl.getMessage());
    query("CREATE TABLE `rules-project.sales.scores` (run_date DATE, score FLOAT64, band NUMERIC) "
        + "PARTITION BY run_date CLUSTER BY band");
    assertEquals(List.of("scores", "segments"), server.tableNames("sales"));
  }

  /** Division by zero raises an error in BigQuery (operators#arithmetic_operators); SAFE_DIVIDE answers NULL. */
  @Test
  void divisionByZeroIsAnError() throws Exception {
    BigQueryException literal = assertThrows(BigQueryException.class, () -> query("SELECT 1/0"));
    assertEquals(400, literal.getCode());
    assertTrue(literal.getMessage().contains("division by zero"), literal.getMessage());
    BigQueryException column = assertThrows(BigQueryException.class, () -> query("SELECT segment_id / "
        + "(segment_id - segment_id) FROM " + SEGMENTS));
    assertTrue(column.getMessage().contains("division by zero"), column.getMessage());
    assertEquals(List.of(Arrays.asList("3.5", null, "0.5")), query("SELECT 7 / 2, SAFE_DIVIDE(1, 0), "
        + "1 / CASE WHEN TRUE THEN 2 END"));
  }

  /** Valid GoogleSQL the loopback refused before: INTERVAL of a column, GENERATE_ARRAY, DATE_FROM_UNIX_DATE. */
  @Test
  void dateArithmeticAndArraysOfGoogleSqlRun() throws Exception {
    assertEquals(List.of(List.of("2026-11-30")), query("SELECT DATE_ADD(run_date, INTERVAL segment_id DAY) FROM "
        + SEGMENTS + " WHERE customer_id = 'a'"));
    assertEquals(List.of(List.of("2026-11-28")), query("SELECT DATE_SUB(run_date, INTERVAL n DAY) FROM "
        + "(SELECT DATE '2026-11-30' AS run_date, 2 AS n)"));
    assertEquals(List.of(List.of("9")), query("SELECT SUM(x) FROM UNNEST(GENERATE_ARRAY(1, 5, 2)) AS x"));
    assertEquals(List.of(List.of("2024-10-04")), query("SELECT DATE_FROM_UNIX_DATE(20000)"));
  }

  /** CREATE TEMP TABLE is allowed inside a transaction (transactions#statements_supported_in_transactions). */
  @Test
  void aTemporaryTableMayBeCreatedInsideATransaction() throws Exception {
    query("BEGIN TRANSACTION;\n"
        + "CREATE TEMP TABLE tonight AS SELECT run_date, customer_id, segment_id + 10 AS segment_id FROM " + SEGMENTS
        + " WHERE run_date = DATE '2026-11-30';\n"
        + "DELETE FROM " + SEGMENTS + " WHERE run_date = DATE '2026-11-30';\n"
        + "INSERT INTO " + SEGMENTS + " (run_date, customer_id, segment_id) SELECT run_date, customer_id, segment_id "
        + "FROM tonight;\n"
        + "COMMIT TRANSACTION;");
    assertEquals(List.of(List.of("2026-11-29", "a", "1"), List.of("2026-11-30", "b", "12")), segments());
    assertEquals(List.of("segments"), server.tableNames("sales"), "a temporary table is no table of the dataset");
    BigQueryException gone = assertThrows(BigQueryException.class, () -> query("SELECT * FROM tonight"));
    assertTrue(gone.getMessage().contains("tonight"), "the temporary table ends with its script: " + gone.getMessage());
  }

  /** ALTER TABLE SET OPTIONS (partition_expiration_days): old partitions go (managing-partitioned-tables). */
  @Test
  void partitionsExpireAfterThePartitionExpiration() throws Exception {
    query("ALTER TABLE " + SEGMENTS + " SET OPTIONS (partition_expiration_days = 1)");
    assertEquals(86_400_000L, ((StandardTableDefinition) bigQuery.getTable(TableId.of("sales", "segments"))
        .getDefinition()).getTimePartitioning().getExpirationMs());
    assertEquals(List.of(List.of("2026-11-30", "b", "2")), segments(),
        "2026-11-29 expired at 2026-11-30 00:00 UTC; the clock says 02:00");
    server.advanceClock(Duration.ofHours(22));
    assertEquals(List.of(), segments());
  }
}
