package dev.segments.sink.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TimePartitioning;
import dev.segments.LocalSpark;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Spark BigQuery connector (0.42.1, indirect write) against the loopback BigQuery: its Parquet files go to
 * the gs:// bucket served from a local folder, its load jobs read them from there.
 */
class LoopbackConnectorTest {
  private static final String PROJECT = "loopback-connector";
  private static LoopbackBigQuery server;
  private static BigQuery bigQuery;
  private static String bucket;
  private static String usBucket;
  private static SparkSession spark;

  private static final StructType SEGMENTS = new StructType()
      .add("run_date", DataTypes.DateType, false)
      .add("customer_id", DataTypes.StringType)
      .add("segment_id", DataTypes.IntegerType)
      .add("distance", DataTypes.DoubleType);

  @BeforeAll
  static void start() {
    server = LoopbackBigQuery.start(PROJECT);
    bucket = "staging-eu-" + UUID.randomUUID().toString().substring(0, 8);
    usBucket = "staging-us-" + UUID.randomUUID().toString().substring(0, 8);
    server.createBucket(bucket, "EU");
    server.createBucket(usBucket, "US");
    bigQuery = server.client("EU");
    bigQuery.create(DatasetInfo.newBuilder(PROJECT, "sales").setLocation("EU").build());
    spark = LocalSpark.session();
    LoopbackGcs.register(spark.sparkContext().hadoopConfiguration());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Dataset<Row> night(String date, Object[]... rows) {
    List<Row> list = new ArrayList<>();
    for (Object[] row : rows) {
      list.add(RowFactory.create(Date.valueOf(date), row[0], row[1], row[2]));
    }
    return spark.createDataFrame(list, SEGMENTS);
  }

  private static DataFrameWriter<Row> writer(Dataset<Row> rows, String table, String gcsBucket, SaveMode mode) {
    DataFrameWriter<Row> writer = rows.write().format("bigquery").mode(mode)
        .option("table", PROJECT + ".sales." + table)
        .option("writeMethod", "indirect")
        .option("temporaryGcsBucket", gcsBucket);
    server.connectorOptions().forEach(writer::option);
    return writer;
  }

  private static List<List<String>> query(String sql) throws InterruptedException {
    return QueryRows.of(bigQuery, sql);
  }

  @Test
  void aNightIsStagedByTheConnectorAndSwappedInByOneTransaction() throws Exception {
    query("CREATE TABLE `loopback-connector.sales.customer_segments` (run_date DATE NOT NULL, customer_id STRING, "
        + "segment_id INT64, distance FLOAT64) PARTITION BY run_date CLUSTER BY segment_id");
    query("INSERT INTO `loopback-connector.sales.customer_segments` VALUES (DATE '2026-11-29', 'c1', 1, 0.5), "
        + "(DATE '2026-11-30', 'old', 9, 9.0)");

    writer(night("2026-11-30", new Object[] {"c1", 2, 0.25}, new Object[] {"c2", 1, 1.0}), "staging_segments",
        bucket, SaveMode.Append).save();
    StandardTableDefinition staged = bigQuery.getTable(TableId.of("sales", "staging_segments")).getDefinition();
    assertEquals(4, staged.getSchema().getFields().size());
    assertEquals(List.of(List.of("2")), query("SELECT COUNT(*) FROM `loopback-connector.sales.staging_segments`"));
    // A rerun overwrites the staging table (WRITE_TRUNCATE) instead of appending to it.
    writer(night("2026-11-30", new Object[] {"c1", 2, 0.25}, new Object[] {"c2", 1, 1.0}), "staging_segments",
        bucket, SaveMode.Overwrite).save();
    assertEquals(List.of(List.of("2")), query("SELECT COUNT(*) FROM `loopback-connector.sales.staging_segments`"));
    assertTrue(server.requests().stream().anyMatch(r -> r.body().contains("\"WRITE_TRUNCATE\"")));

    query("BEGIN TRANSACTION;\n"
        + "DELETE FROM `loopback-connector.sales.customer_segments` WHERE run_date = DATE '2026-11-30';\n"
        + "INSERT INTO `loopback-connector.sales.customer_segments` (run_date, customer_id, segment_id, distance)\n"
        + "  SELECT run_date, customer_id, segment_id, distance FROM `loopback-connector.sales.staging_segments`;\n"
        + "COMMIT TRANSACTION;");
    assertEquals(List.of(
            List.of("2026-11-29", "c1", "1"),
            List.of("2026-11-30", "c1", "2"),
            List.of("2026-11-30", "c2", "1")),
        query("SELECT CAST(run_date AS STRING), customer_id, segment_id FROM "
            + "`loopback-connector.sales.customer_segments` ORDER BY run_date, customer_id"));
  }

  @Test
  void overwriteWithFieldAdditionIsRefusedAsBigQueryRefusesIt() {
    // The connector sends WRITE_TRUNCATE with ALLOW_FIELD_ADDITION, which BigQuery accepts only with WRITE_APPEND or
    // on a partition decorator.
    RuntimeException refused = assertThrows(RuntimeException.class, () -> writer(
        night("2026-11-30", new Object[] {"c1", 2, 0.25}), "field_addition", bucket, SaveMode.Overwrite)
        .option("allowFieldAddition", "true").save());
    assertTrue(causes(refused).contains("Schema update options should only be specified with WRITE_APPEND"),
        causes(refused));
    assertEquals(List.of(), server.tableNames("sales").stream().filter(t -> t.equals("field_addition")).toList());
  }

  @Test
  void dynamicPartitionOverwriteOfAnExistingTableHitsTheIncompatiblePartitioningError() throws Exception {
    writer(night("2026-11-29", new Object[] {"c1", 1, 0.5}), "dynamic", bucket, SaveMode.Append)
        .option("partitionField", "run_date").option("partitionType", "DAY").save();
    TimePartitioning partitioning = ((StandardTableDefinition) bigQuery.getTable(TableId.of("sales", "dynamic"))
        .getDefinition()).getTimePartitioning();
    assertEquals("run_date", partitioning.getField());
    // Connector issue #1514: the temporary table is created unpartitioned, then loaded with a partitioning spec.
    RuntimeException refused = assertThrows(RuntimeException.class, () -> writer(
        night("2026-11-30", new Object[] {"c1", 2, 0.25}), "dynamic", bucket, SaveMode.Overwrite)
        .option("partitionField", "run_date").option("partitionType", "DAY")
        .option("spark.sql.sources.partitionOverwriteMode", "DYNAMIC").save());
    assertTrue(causes(refused).contains("Incompatible table partitioning specification"), causes(refused));
    assertEquals(List.of(List.of("1")), query("SELECT COUNT(*) FROM `loopback-connector.sales.dynamic`"));
  }

  @Test
  void aLoadFromABucketInAnotherLocationFails() {
    RuntimeException refused = assertThrows(RuntimeException.class, () -> writer(
        night("2026-11-30", new Object[] {"c1", 2, 0.25}), "cross_location", usBucket, SaveMode.Append).save());
    assertTrue(causes(refused).contains("Cannot read and write in different locations"), causes(refused));
  }

  @Test
  void timestampsLongsBooleansAndNullsSurviveTheLoad() throws Exception {
    StructType schema = new StructType()
        .add("run_date", DataTypes.DateType)
        .add("started_at", DataTypes.TimestampType)
        .add("rows_read", DataTypes.LongType)
        .add("chosen", DataTypes.BooleanType)
        .add("silhouette", DataTypes.DoubleType);
    java.sql.Timestamp started = java.sql.Timestamp.from(java.time.Instant.parse("2026-11-30T02:00:01.250Z"));
    Dataset<Row> runs = spark.createDataFrame(List.of(
        RowFactory.create(Date.valueOf("2026-11-30"), started, 12_345_678_901L, true, null)), schema);
    writer(runs, "model_runs", bucket, SaveMode.Append).save();
    com.google.cloud.bigquery.Schema table = bigQuery.getTable(TableId.of("sales", "model_runs")).getDefinition()
        .getSchema();
    assertEquals(List.of("DATE", "TIMESTAMP", "INTEGER", "BOOLEAN", "FLOAT"), table.getFields().stream()
        .map(f -> f.getType().name()).toList());
    FieldValueList row = bigQuery.query(QueryJobConfiguration.of("SELECT started_at, rows_read, chosen, silhouette "
        + "FROM `loopback-connector.sales.model_runs`")).iterateAll().iterator().next();
    assertEquals(java.time.Instant.parse("2026-11-30T02:00:01.250Z"), row.get("started_at").getTimestampInstant());
    assertEquals(12_345_678_901L, row.get("rows_read").getLongValue());
    assertTrue(row.get("chosen").getBooleanValue());
    assertTrue(row.get("silhouette").isNull());
  }

  @Test
  void aConnectorReadOfAMissingTableFailsWithoutANotFoundMessage() {
    // Issue 9, finding 1: the connector answers BigQuery's 404 on tables.get with a NullPointerException on the
    // relation's schema, so code that looks for "Not found" in the message cannot tell a first run.
    org.apache.spark.sql.DataFrameReader reader = spark.read().format("bigquery")
        .option("table", PROJECT + ".sales.never_written");
    server.connectorOptions().forEach(reader::option);
    RuntimeException failed = assertThrows(RuntimeException.class, () -> reader.load().count());
    assertTrue(server.requests().stream().anyMatch(r -> r.method().equals("GET")
        && r.path().endsWith("/datasets/sales/tables/never_written")), "the connector asked tables.get");
    assertTrue(causes(failed).contains("schema"), causes(failed));
  }

  static String causes(Throwable error) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      text.append(t.getMessage()).append(" <- ");
    }
    return text.toString();
  }
}
