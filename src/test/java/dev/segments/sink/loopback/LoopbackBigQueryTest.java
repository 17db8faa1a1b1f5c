package dev.segments.sink.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Clustering;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.LegacySQLTypeName;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.TableResult;
import com.google.cloud.bigquery.TimePartitioning;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loopback BigQuery driven by the real official client (google-cloud-bigquery). */
class LoopbackBigQueryTest {
  private static final String PROJECT = "loopback-project";
  private LoopbackBigQuery server;
  private BigQuery bigQuery;

  @BeforeEach
  void start() {
    server = LoopbackBigQuery.start(PROJECT);
    bigQuery = server.client("EU");
    bigQuery.create(DatasetInfo.newBuilder(PROJECT, "sales").setLocation("EU").build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static final Schema SEGMENTS = Schema.of(
      Field.newBuilder("run_date", LegacySQLTypeName.DATE).setMode(Field.Mode.REQUIRED).build(),
      Field.newBuilder("customer_id", LegacySQLTypeName.STRING).setMode(Field.Mode.NULLABLE).build(),
      Field.newBuilder("segment_id", LegacySQLTypeName.INTEGER).setMode(Field.Mode.NULLABLE).build(),
      Field.newBuilder("distance", LegacySQLTypeName.FLOAT).setMode(Field.Mode.NULLABLE).build());

  private Table createSegments() {
    return bigQuery.create(TableInfo.of(TableId.of(PROJECT, "sales", "customer_segments"),
        StandardTableDefinition.newBuilder()
            .setSchema(SEGMENTS)
            .setTimePartitioning(TimePartitioning.newBuilder(TimePartitioning.Type.DAY).setField("run_date").build())
            .setClustering(Clustering.newBuilder().setFields(List.of("segment_id")).build())
            .build()));
  }

  private TableResult query(String sql) throws InterruptedException {
    return bigQuery.query(QueryJobConfiguration.newBuilder(sql).build());
  }

  private static List<List<String>> values(TableResult result) {
    return QueryRows.of(result);
  }

  @Test
  void datasetsAndTablesKeepTheirLocationSchemaPartitioningAndClustering() {
    assertEquals("EU", bigQuery.getDataset("sales").getLocation());
    assertNull(bigQuery.getDataset("missing"), "the client answers null for BigQuery's 404");
    Table created = createSegments();
    Table read = bigQuery.getTable(TableId.of("sales", "customer_segments"));
    assertEquals(created.getTableId(), read.getTableId());
    StandardTableDefinition definition = read.getDefinition();
    assertEquals(SEGMENTS, definition.getSchema());
    assertEquals(TimePartitioning.newBuilder(TimePartitioning.Type.DAY).setField("run_date").build(),
        definition.getTimePartitioning());
    assertEquals(List.of("segment_id"), definition.getClustering().getFields());
    assertNull(bigQuery.getTable(TableId.of("sales", "missing")));

    BigQueryException duplicate = assertThrows(BigQueryException.class, this::createSegments);
    assertEquals(409, duplicate.getCode());
    assertEquals("duplicate", duplicate.getReason());
    BigQueryException duplicateDataset = assertThrows(BigQueryException.class,
        () -> bigQuery.create(DatasetInfo.newBuilder(PROJECT, "sales").setLocation("EU").build()));
    assertEquals(409, duplicateDataset.getCode());

    assertTrue(bigQuery.delete(TableId.of("sales", "customer_segments")));
    assertFalse(bigQuery.delete(TableId.of("sales", "customer_segments")), "a second delete finds nothing");
  }

  @Test
  void queriesDmlAndATransactionRunOnTheStoredRows() throws Exception {
    createSegments();
    query("INSERT INTO `loopback-project.sales.customer_segments` (run_date, customer_id, segment_id, distance) "
        + "VALUES (DATE '2026-11-29', 'c1', 1, 0.5), (DATE '2026-11-29', 'c2', 2, 1.5), "
        + "(DATE '2026-11-30', 'c1', 2, 0.25)");
    query("CREATE TABLE `loopback-project.sales.staging_segments` AS SELECT * FROM "
        + "`loopback-project.sales.customer_segments` WHERE run_date = DATE '2026-11-30'");
    query("UPDATE `loopback-project.sales.staging_segments` SET segment_id = 3 WHERE customer_id = \"c1\"");

    TableResult script = query("BEGIN TRANSACTION;\n"
        + "DELETE FROM `loopback-project.sales.customer_segments` WHERE run_date = DATE '2026-11-30';\n"
        + "INSERT INTO `loopback-project.sales.customer_segments` SELECT * FROM "
        + "`loopback-project.sales.staging_segments`;\n"
        + "COMMIT TRANSACTION;\n"
        + "SELECT COUNT(*) AS n FROM `loopback-project.sales.customer_segments`");
    assertEquals(List.of(List.of("3")), values(script), "a script answers its last SELECT");

    TableResult result = query("SELECT run_date, customer_id, segment_id, DATE_DIFF(run_date, DATE '2026-11-01', "
        + "DAY) AS day, DATE_TRUNC(run_date, MONTH) AS month FROM `loopback-project.sales.customer_segments` "
        + "ORDER BY run_date, customer_id");
    assertEquals(List.of(
            List.of("2026-11-29", "c1", "1", "28", "2026-11-01"),
            List.of("2026-11-29", "c2", "2", "28", "2026-11-01"),
            List.of("2026-11-30", "c1", "3", "29", "2026-11-01")),
        values(result));
    assertEquals(LegacySQLTypeName.DATE, result.getSchema().getFields().get("month").getType());
    assertEquals(LegacySQLTypeName.INTEGER, result.getSchema().getFields().get("segment_id").getType());

    // The same query as a job: jobs.insert, then the client waits with getQueryResults and pages the results.
    Job job = bigQuery.create(JobInfo.of(QueryJobConfiguration.of(
        "SELECT customer_id FROM `loopback-project.sales.customer_segments` ORDER BY customer_id")));
    assertEquals(List.of(List.of("c1"), List.of("c1"), List.of("c2")), values(job.getQueryResults()));
    assertEquals("EU", job.getJobId().getLocation());
  }

  @Test
  void aFailedStatementInATransactionLeavesEveryTableAsItWas() throws Exception {
    createSegments();
    query("INSERT INTO `loopback-project.sales.customer_segments` VALUES (DATE '2026-11-29', 'c1', 1, 0.5)");
    BigQueryException failed = assertThrows(BigQueryException.class, () -> query("BEGIN TRANSACTION;\n"
        + "DELETE FROM `loopback-project.sales.customer_segments` WHERE TRUE;\n"
        + "INSERT INTO `loopback-project.sales.customer_segments` SELECT * FROM `loopback-project.sales.missing`;\n"
        + "COMMIT TRANSACTION;"));
    assertEquals(404, failed.getCode(), failed.getMessage());
    assertEquals(List.of(List.of(1L)), server.rows("SELECT count(*) FROM sales.customer_segments"));
  }

  @Test
  void namedQueryParametersAreTypedAndBound() throws Exception {
    createSegments();
    query("INSERT INTO `loopback-project.sales.customer_segments` VALUES (DATE '2026-11-29', 'c1', 1, 0.5), "
        + "(DATE '2026-11-30', 'c2', 2, 1.5)");
    bigQuery.query(QueryJobConfiguration.newBuilder("DELETE FROM `loopback-project.sales.customer_segments` "
            + "WHERE run_date = @run_date AND segment_id = @segment")
        .addNamedParameter("run_date", com.google.cloud.bigquery.QueryParameterValue.date("2026-11-30"))
        .addNamedParameter("segment", com.google.cloud.bigquery.QueryParameterValue.int64(2L))
        .build());
    assertEquals(List.of(List.of("c1")), values(query("SELECT customer_id FROM "
        + "`loopback-project.sales.customer_segments`")));
    BigQueryException mistyped = assertThrows(BigQueryException.class, () -> bigQuery.query(
        QueryJobConfiguration.newBuilder("SELECT * FROM `loopback-project.sales.customer_segments` "
                + "WHERE run_date = @run_date")
            .addNamedParameter("run_date", com.google.cloud.bigquery.QueryParameterValue.int64(20261130L))
            .build()));
    assertEquals(400, mistyped.getCode(), "ZetaSQL checks the parameter's type: " + mistyped.getMessage());
  }

  @Test
  void ddlCreatesDatasetsWithLocationLabelsAndExpiringTables() throws Exception {
    query("CREATE SCHEMA IF NOT EXISTS `loopback-project.marts` OPTIONS (location = 'EU', "
        + "labels = [('team', 'bi'), ('cost_centre', \"c-42\")])");
    com.google.cloud.bigquery.Dataset marts = bigQuery.getDataset("marts");
    assertEquals("EU", marts.getLocation());
    assertEquals(java.util.Map.of("team", "bi", "cost_centre", "c-42"), marts.getLabels());
    query("CREATE SCHEMA IF NOT EXISTS `loopback-project.marts` OPTIONS (location = 'EU')");
    query("CREATE TABLE `loopback-project.marts.staging` (run_date DATE) OPTIONS (expiration_timestamp = "
        + "TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 6 HOUR))");
    assertEquals(server.now().plus(Duration.ofHours(6)).toEpochMilli(),
        bigQuery.getTable(TableId.of("marts", "staging")).getExpirationTime());
    server.advanceClock(Duration.ofHours(7));
    assertNull(bigQuery.getTable(TableId.of("marts", "staging")));
    BigQueryException elsewhere = assertThrows(BigQueryException.class,
        () -> query("CREATE SCHEMA `loopback-project.us_marts` OPTIONS (location = 'US')"));
    assertTrue(elsewhere.getMessage().contains("does not match the job's location EU"), elsewhere.getMessage());
  }

  @Test
  void alterTableAddsNullableColumnsAndSetsOptions() throws Exception {
    createSegments();
    query("INSERT INTO `loopback-project.sales.customer_segments` VALUES (DATE '2026-11-29', 'c1', 1, 0.5)");
    query("ALTER TABLE `loopback-project.sales.customer_segments` ADD COLUMN IF NOT EXISTS segment_name STRING, "
        + "ADD COLUMN IF NOT EXISTS distance FLOAT64");
    query("ALTER TABLE `loopback-project.sales.customer_segments` SET OPTIONS (description = 'segments')");
    Table table = bigQuery.getTable(TableId.of("sales", "customer_segments"));
    assertEquals(List.of("run_date", "customer_id", "segment_id", "distance", "segment_name"),
        ((StandardTableDefinition) table.getDefinition()).getSchema().getFields().stream().map(Field::getName)
            .toList());
    assertEquals(Field.Mode.NULLABLE, ((StandardTableDefinition) table.getDefinition()).getSchema().getFields()
        .get("segment_name").getMode());
    assertEquals("segments", table.getDescription());
    assertEquals(List.of(java.util.Arrays.asList("c1", null)), values(query("SELECT customer_id, segment_name FROM "
        + "`loopback-project.sales.customer_segments`")));
    BigQueryException required = assertThrows(BigQueryException.class, () -> query("ALTER TABLE "
        + "`loopback-project.sales.customer_segments` ADD COLUMN k INT64 NOT NULL"));
    assertEquals(400, required.getCode());
  }

  @Test
  void aMissingTableIsNotFound() {
    BigQueryException missing = assertThrows(BigQueryException.class,
        () -> query("SELECT * FROM `loopback-project.sales.nothing`"));
    assertEquals(404, missing.getCode());
    assertEquals("notFound", missing.getReason());
    assertTrue(missing.getMessage().contains("loopback-project:sales.nothing"), missing.getMessage());
  }

  @Test
  void expiredTablesDisappear() {
    createSegments();
    Table staging = bigQuery.create(TableInfo.newBuilder(TableId.of("sales", "staging"),
            StandardTableDefinition.of(SEGMENTS))
        .setExpirationTime(server.now().plus(Duration.ofHours(6)).toEpochMilli()).build());
    assertNotNull(staging.getExpirationTime());
    server.advanceClock(Duration.ofHours(5));
    assertNotNull(bigQuery.getTable(TableId.of("sales", "staging")));
    server.advanceClock(Duration.ofHours(2));
    assertNull(bigQuery.getTable(TableId.of("sales", "staging")));
    assertEquals(List.of("customer_segments"), server.tableNames("sales"));
  }
}
