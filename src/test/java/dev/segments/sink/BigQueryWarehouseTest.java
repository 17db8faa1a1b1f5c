package dev.segments.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the BigQuery sink asks of the connector and of BigQuery, checked without either. */
class BigQueryWarehouseTest {
  private static final BigQueryConfig DIRECT =
      new BigQueryConfig("example-project", "sales", "EU", null, null, Map.of("team", "bi"));
  private static final BigQueryConfig INDIRECT =
      new BigQueryConfig("example-project", "sales", "EU", "tmp-bucket", null, Map.of());

  @Test
  void directWritesReplaceTheRunDatePartitionOfAClusteredTable() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("table", "example-project.sales.customer_segments");
    expected.put("parentProject", "example-project");
    expected.put("writeMethod", "direct");
    expected.put("createDisposition", "CREATE_IF_NEEDED");
    expected.put("partitionField", "run_date");
    expected.put("partitionType", "DAY");
    expected.put("clusteredFields", "segment_id");
    expected.put("spark.sql.sources.partitionOverwriteMode", "DYNAMIC");
    expected.put("bigQueryJobLabel.team", "bi");
    expected.put("bigQueryJobLabel.run_id", "run-2024-06-30t02_00");

    assertEquals(expected, new BigQueryWarehouse(DIRECT)
        .writerOptions("customer_segments", SampleRun.CUSTOMER_SEGMENTS, "Run-2024-06-30T02:00"));
  }

  @Test
  void indirectWritesGoThroughTheBucketAndTablesWithoutSegmentsAreNotClustered() {
    Map<String, String> options =
        new BigQueryWarehouse(INDIRECT).writerOptions("model_runs", SampleRun.MODEL_RUNS, "run-1");
    assertEquals("indirect", options.get("writeMethod"));
    assertEquals("tmp-bucket", options.get("temporaryGcsBucket"));
    assertEquals("true", options.get("allowFieldAddition"));
    assertEquals("DYNAMIC", options.get("spark.sql.sources.partitionOverwriteMode"));
    assertFalse(options.containsKey("clusteredFields"));
    assertEquals("run-1", options.get("bigQueryJobLabel.run_id"));
  }

  @Test
  void theDatasetIsCreatedInItsLocationWithItsLabels() {
    assertEquals("CREATE SCHEMA IF NOT EXISTS `example-project.sales` OPTIONS (location = 'EU', "
        + "labels = [('team', 'bi')])", new BigQueryWarehouse(DIRECT).createDatasetStatement());
    assertEquals("CREATE SCHEMA IF NOT EXISTS `example-project.sales`", new BigQueryWarehouse(
        new BigQueryConfig("example-project", "sales", null, null, null, null)).createDatasetStatement());
  }

  @Test
  void viewDdlNamesEveryTableAndViewFullyQualifiedAndIsStable() {
    List<String> statements = new BigQueryWarehouse(DIRECT).createViewStatements();
    List<View> views = ViewCatalog.load().views();
    assertEquals(views.size(), statements.size());
    assertEquals(statements, new BigQueryWarehouse(DIRECT).createViewStatements());
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
    String salesJoined = statements.get(0);
    assertTrue(salesJoined.contains("DATE_DIFF(s.run_date, s.purchase_date, DAY)"), salesJoined);
  }

  @Test
  void thePlanListsEveryTableWithItsTargetAndSchemaAndEveryView() {
    RunOutputs outputs = new SampleRun("run-1", LocalDate.parse("2024-06-30"), List.of(), List.of()).outputs();
    String plan = new BigQueryWarehouse(DIRECT).describePlan(outputs);
    for (String table : outputs.tables().keySet()) {
      assertTrue(plan.contains("table example-project.sales." + table + ": replaces partition 2024-06-30"), plan);
    }
    assertTrue(plan.contains("table example-project.sales.customer_segments: replaces partition 2024-06-30, "
        + "partitioned by run_date (DAY), clustered by segment_id, direct write"), plan);
    assertTrue(plan.contains("  started_at TIMESTAMP\n"), plan);
    assertTrue(plan.contains("  segment_id INT64\n"), plan);
    // model_runs is written last: it marks a complete run.
    assertTrue(plan.indexOf("sales.model_runs:") > plan.indexOf("sales.k_selection:"), plan);
    for (View view : ViewCatalog.load().views()) {
      assertTrue(plan.contains("CREATE OR REPLACE VIEW `example-project.sales." + view.name() + "`"), view.name());
    }
  }
}
