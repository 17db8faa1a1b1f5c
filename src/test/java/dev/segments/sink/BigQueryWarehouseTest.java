package dev.segments.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.TimePartitioning;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the BigQuery sink will ask of the connector and of BigQuery, checked without either. */
class BigQueryWarehouseTest {
  private static final BigQueryConfig CONFIG = new BigQueryConfig("example-project", "sales", "europe-west2",
      "tmp-bucket", null, Map.of("team", "bi"), null, null, null, null);
  private static RunOutputs outputs;
  private static PublishPlan plan;

  @BeforeAll
  static void plan() {
    outputs = SampleRun.of("Run-2024-06-30T02:00", LocalDate.parse("2024-06-30"),
        List.of(SampleRun.sale("S1", "C1", "P1", "2024-01-10", 100.0, 1000.0, 30, 1)), List.of()).outputs();
    plan = PublishPlan.of(CONFIG, outputs, ViewCatalog.load(), "abc123");
  }

  @Test
  void oneTransactionReplacesTheRunDateInEveryTable() {
    String script = plan.transactionScript();
    assertTrue(script.startsWith("BEGIN TRANSACTION;\n"), script);
    assertTrue(script.endsWith("\nCOMMIT TRANSACTION;"), script);
    assertEquals(1, script.split("BEGIN TRANSACTION").length - 1, script);
    for (String table : outputs.tables().keySet()) {
      assertTrue(script.contains("DELETE FROM `example-project.sales." + table + "` WHERE run_date = DATE '2024-06-30';"),
          table + " in " + script);
    }
    assertTrue(script.contains("INSERT INTO `example-project.sales.model_runs` (`run_date`, `run_id`, `as_of`, "
        + "`started_at`, `k`, `gamma`, `cost`, `silhouette`, `iterations`, `rows_read`, `rows_quarantined`, "
        + "`duration_s`, `version`)\n  SELECT `run_date`, `run_id`, `as_of`, `started_at`, `k`, `gamma`, `cost`, "
        + "`silhouette`, `iterations`, `rows_read`, `rows_quarantined`, `duration_s`, `version` FROM "
        + "`example-project.sales._staging_model_runs_abc123`;"), script);
    // No rows tonight: the date's old rows go, nothing is staged or inserted.
    assertFalse(script.contains("INSERT INTO `example-project.sales.quarantine`"), script);
    assertNull(load("quarantine").staging());
  }

  @Test
  void eachTableIsStagedByAnAppendLoadIntoItsOwnStagingTable() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("table", "example-project.sales._staging_customer_segments_abc123");
    expected.put("parentProject", "example-project");
    expected.put("writeMethod", "indirect");
    expected.put("temporaryGcsBucket", "tmp-bucket");
    expected.put("intermediateFormat", "parquet");
    expected.put("createDisposition", "CREATE_NEVER");
    expected.put("bigQueryJobLabel.team", "bi");
    expected.put("bigQueryJobLabel.run_id", "run-2024-06-30t02_00");
    assertEquals(expected, plan.connectorOptions(load("customer_segments")));
  }

  @Test
  void tablesArePartitionedByRunDateAndClusteredBySegmentWhereTheyHaveOne() {
    StandardTableDefinition segments = load("customer_segments").definition(null);
    assertEquals(TimePartitioning.newBuilder(TimePartitioning.Type.DAY).setField("run_date").build(),
        segments.getTimePartitioning());
    assertEquals(List.of("segment_id"), segments.getClustering().getFields());
    assertNull(load("model_runs").definition(null).getClustering());
    assertEquals(StandardSQLTypeName.TIMESTAMP,
        load("model_runs").schema().getFields().get("started_at").getType().getStandardType());
    assertEquals(StandardSQLTypeName.INT64,
        load("customer_segments").schema().getFields().get("segment_id").getType().getStandardType());
  }

  @Test
  void viewDdlNamesEveryTableAndViewFullyQualified() {
    List<String> statements = plan.viewStatements();
    List<View> views = ViewCatalog.load().views();
    assertEquals(views.size(), statements.size());
    for (int i = 0; i < views.size(); i++) {
      String statement = statements.get(i);
      View view = views.get(i);
      assertTrue(statement.startsWith("CREATE OR REPLACE VIEW `example-project.sales." + view.name() + "` OPTIONS"),
          statement);
      assertFalse(statement.contains("{{"), statement);
      for (String reference : view.references()) {
        assertTrue(statement.contains("FROM `example-project.sales." + reference + "`"), reference + " in " + statement);
      }
      // Every name after FROM or JOIN is a backticked project.dataset.name or a CTE/subquery of the statement.
      Matcher source = Pattern.compile("(?:FROM|JOIN)\\s+([^\\s(]+)").matcher(statement);
      while (source.find()) {
        String name = source.group(1);
        assertTrue(name.startsWith("`example-project.sales.") || statement.contains(name + " AS ("),
            name + " in " + view.name());
      }
    }
  }

  @Test
  void theDryRunPlanPrintsTheStatementsThePublishRuns() {
    String printed = new BigQueryWarehouse(CONFIG).describePlan(outputs);
    PublishPlan printedPlan = PublishPlan.of(CONFIG, outputs, ViewCatalog.load(), "<tag>");
    assertTrue(printed.contains(printedPlan.transactionScript()), printed);
    printedPlan.viewStatements().forEach(statement -> assertTrue(printed.contains(statement + ";"), statement));
    assertTrue(printed.contains("example-project.sales.customer_segments clustered by segment_id: run_date DATE"),
        printed);
    assertTrue(printed.contains("quarantine: no rows tonight, nothing staged"), printed);
    assertTrue(printed.contains("created in europe-west2"), printed);
    assertTrue(printed.indexOf("COMMIT TRANSACTION") > printed.indexOf("connector options"), printed);
  }

  private static PublishPlan.TableLoad load(String name) {
    return plan.tables().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aPartitionExpirationIsSetOnTheTablesPartitioning() {
    assertEquals(30L * 86_400_000L, load("sales_enriched").definition(30).getTimePartitioning().getExpirationMs());
    assertNull(load("sales_enriched").definition(null).getTimePartitioning().getExpirationMs(), "kept forever");
  }

  /**
   * BigQuery prunes partitions only for a constant filter on the partitioning column; a subquery such as
   * {@code (SELECT MAX(run_date) ...)} scans every partition
   * (https://cloud.google.com/bigquery/docs/querying-partitioned-tables#use_a_constant_filter_expression). The
   * latest-night views filter on the date the publish made the latest, written as a constant; DuckDB keeps the
   * subquery, which answers the same rows.
   */
  @Test
  void theLatestNightViewsFilterTheirPartitionColumnOnAConstantDateInBigQuery() {
    LocalDate latest = LocalDate.parse("2024-07-31");
    List<String> statements = plan.viewStatements(latest);
    for (String view : List.of("sales_joined", "segment_summary", "customer_latest_segment")) {
      String statement = statements.stream().filter(s -> s.startsWith("CREATE OR REPLACE VIEW `example-project.sales."
          + view + "`")).findFirst().orElseThrow();
      assertTrue(statement.matches("(?s).*\\brun_date = DATE '2024-07-31'.*"), statement);
      View template = ViewCatalog.load().views().stream().filter(v -> v.name().equals(view)).findFirst()
          .orElseThrow();
      assertTrue(ViewCatalog.render(template, SqlDialect.DUCKDB, name -> name).contains(
          "run_date = (SELECT MAX(run_date) FROM "), view);
    }
    for (String statement : statements) {
      assertFalse(statement.contains("run_date = (SELECT MAX(run_date)"), statement);
    }
    assertTrue(plan.viewStatements().get(0).contains("DATE '2024-06-30'"), "the dry run shows tonight's date");
  }
}
