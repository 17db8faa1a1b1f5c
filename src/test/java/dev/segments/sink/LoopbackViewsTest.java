package dev.segments.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.TableId;
import dev.segments.sink.loopback.LoopbackBigQuery;
import dev.segments.sink.loopback.QueryRows;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every reporting view, rendered for BigQuery by {@link ViewCatalog}, created on the loopback BigQuery through the
 * official client, analysed there by ZetaSQL against the output tables' schemas, and executed.
 */
class LoopbackViewsTest {
  private static final String PROJECT = "views-project";
  private static LoopbackBigQuery server;
  private static BigQuery bigQuery;

  @BeforeAll
  static void createTablesAndViews() throws InterruptedException {
    server = LoopbackBigQuery.start(PROJECT);
    bigQuery = server.client("EU");
    bigQuery.create(DatasetInfo.newBuilder(PROJECT, "sales").setLocation("EU").build());
    createTable("sales_enriched", SampleRun.SALES_ENRICHED);
    createTable("customer_segments", SampleRun.CUSTOMER_SEGMENTS);
    createTable("segment_profiles", SampleRun.SEGMENT_PROFILES);
    createTable("segment_product_affinity", SampleRun.SEGMENT_PRODUCT_AFFINITY);
    query("INSERT INTO `views-project.sales.customer_segments` (run_date, run_id, customer_id, segment_id, "
        + "segment_name, distance, has_sales) VALUES "
        + "(DATE '2026-11-29', 'r1', 'c1', 1, 'Savers', 0.1, TRUE), (DATE '2026-11-29', 'r1', 'c2', 2, 'Spenders', "
        + "0.2, TRUE), (DATE '2026-11-30', 'r2', 'c1', 2, 'Spenders', 0.3, TRUE), "
        + "(DATE '2026-11-30', 'r2', 'c2', 2, 'Spenders', 0.4, FALSE)");
    query("INSERT INTO `views-project.sales.sales_enriched` (run_date, run_id, policy_id, customer_id, product_id, "
        + "purchase_date, premium, coverage, product_name, product_type, product_category, age, segment_id, "
        + "segment_name) VALUES "
        + "(DATE '2026-11-29', 'r1', 'p0', 'c1', 'x', DATE '2020-01-01', 10.0, 100.0, 'Home', 'home', 'general', 30, "
        + "1, 'Savers'), "
        + "(DATE '2026-11-30', 'r2', 'p1', 'c1', 'x', DATE '2024-11-30', 100.0, 1000.0, 'Home', 'home', 'general', "
        + "30, 2, 'Spenders'), "
        + "(DATE '2026-11-30', 'r2', 'p2', 'c2', 'y', DATE '2016-06-15', 50.0, NULL, 'Life', 'life', 'life', 70, 2, "
        + "'Spenders')");
    query("INSERT INTO `views-project.sales.segment_profiles` (run_date, run_id, segment_id, segment_name, size, "
        + "share) VALUES (DATE '2026-11-30', 'r2', 2, 'Spenders', 2, 1.0)");
    for (View view : ViewCatalog.load().views()) {
      query("CREATE OR REPLACE VIEW `views-project.sales." + view.name() + "` OPTIONS (description = '"
          + view.description().replace("'", "\\'") + "') AS\n"
          + ViewCatalog.render(view, SqlDialect.BIGQUERY, name -> "`views-project.sales." + name + "`"));
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void createTable(String name, StructType schema) throws InterruptedException {
    query("CREATE TABLE `views-project.sales." + name + "` ("
        + java.util.Arrays.stream(schema.fields()).map(LoopbackViewsTest::column).collect(Collectors.joining(", "))
        + ") PARTITION BY run_date");
  }

  private static String column(StructField field) {
    DataType type = field.dataType();
    String bigQueryType = type.equals(DataTypes.StringType) ? "STRING"
        : type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType) ? "INT64"
        : type.equals(DataTypes.DoubleType) ? "FLOAT64"
        : type.equals(DataTypes.DateType) ? "DATE"
        : type.equals(DataTypes.TimestampType) ? "TIMESTAMP"
        : type.equals(DataTypes.BooleanType) ? "BOOL" : "unsupported " + type;
    return "`" + field.name() + "` " + bigQueryType;
  }

  private static List<List<String>> query(String sql) throws InterruptedException {
    return QueryRows.of(bigQuery, sql);
  }

  @Test
  void everyViewIsCreatedAsAViewAndAnswers() throws InterruptedException {
    for (View view : ViewCatalog.load().views()) {
      assertEquals("VIEW", bigQuery.getTable(TableId.of("sales", view.name())).getDefinition().getType().name(),
          view.name());
      query("SELECT * FROM `views-project.sales." + view.name() + "`");
    }
    assertEquals(List.of(List.of("c1", "2"), List.of("c2", "2")),
        query("SELECT customer_id, segment_id FROM `views-project.sales.customer_latest_segment` ORDER BY 1"));
    assertEquals(List.of(List.of("1", "2", "1")), query("SELECT from_segment_id, to_segment_id, customers FROM "
        + "`views-project.sales.segment_migration` WHERE from_segment_id = 1"));
    // 2016-06-15 to 2026-11-30 is 3820 days: 10.46 years of 365.25 days.
    assertEquals(List.of(List.of("p2", "10.46", "10y+")), query("SELECT policy_id, tenure_years, tenure_group FROM "
        + "`views-project.sales.sales_joined` WHERE policy_id = 'p2'"));
    assertEquals(List.of(List.of("2024-11-01", "1")), query("SELECT CAST(purchase_month AS STRING), policies FROM "
        + "`views-project.sales.sales_by_segment_month` WHERE purchase_month >= DATE '2024-01-01'"));
  }

  @Test
  void aViewInAnotherDialectIsRefusedAsBigQueryWouldRefuseIt() {
    View salesJoined = ViewCatalog.load().views().get(0);
    // DuckDB's DATE_DIFF('day', start, end) is not GoogleSQL's DATE_DIFF(end, start, DAY).
    BigQueryException refused = assertThrows(BigQueryException.class, () -> query(
        "CREATE OR REPLACE VIEW `views-project.sales.duckdb_dialect` AS "
            + ViewCatalog.render(salesJoined, SqlDialect.DUCKDB, name -> "`views-project.sales." + name + "`")));
    assertEquals(400, refused.getCode());
    assertEquals("invalidQuery", refused.getReason());
    assertTrue(refused.getMessage().contains("A valid date part name is required"), refused.getMessage());
    BigQueryException unknownColumn = assertThrows(BigQueryException.class, () -> query(
        "CREATE VIEW `views-project.sales.bad_column` AS SELECT no_such_column FROM "
            + "`views-project.sales.customer_segments`"));
    assertTrue(unknownColumn.getMessage().contains("Unrecognized name: no_such_column"), unknownColumn.getMessage());
    assertTrue(server.tableNames("sales").stream().noneMatch(t -> t.equals("duckdb_dialect")
        || t.equals("bad_column")), "a refused view is not created");
  }
}
