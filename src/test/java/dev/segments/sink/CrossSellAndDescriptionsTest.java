package dev.segments.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.SamplePipelineRun;
import dev.segments.SharedDatasets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample run's DuckDB file, as Power BI or a dashboard reads it: every table, view and column carries its
 * description from {@code sql/columns.yaml} (DuckDB's {@code COMMENT ON}, read back through {@code duckdb_columns()}),
 * and {@code cross_sell_candidates} lists each customer with a next best product exactly once.
 */
class CrossSellAndDescriptionsTest {
  /** The file's own relations, not DuckDB's catalog views. */
  private static final String OURS = "database_name = current_database() AND schema_name = 'main' AND NOT internal";

  private static Path database() {
    return SamplePipelineRun.output().resolve("current").resolve(DuckDbSnapshot.FILE_NAME);
  }

  @Test
  void everyColumnOfEveryTableAndViewHasItsDescription() {
    ViewCatalog views = ViewCatalog.load();
    ColumnDescriptions descriptions = ColumnDescriptions.load(views);
    Map<String, List<String>> columnsOf = new LinkedHashMap<>();
    for (Map<String, Object> row : DuckDbReader.query(database(), "SELECT table_name, column_name "
        + "FROM duckdb_columns() WHERE " + OURS + " ORDER BY table_name, column_index")) {
      columnsOf.computeIfAbsent((String) row.get("table_name"), t -> new ArrayList<>())
          .add((String) row.get("column_name"));
    }
    for (OutputTable table : OutputTable.values()) {
      assertTrue(columnsOf.containsKey(table.tableName()), table.tableName());
    }
    views.views().forEach(view -> assertTrue(columnsOf.containsKey(view.name()), view.name()));
    int described = 0;
    for (Map<String, Object> row : DuckDbReader.query(database(), "SELECT table_name, column_name, comment "
        + "FROM duckdb_columns() WHERE " + OURS)) {
      String relation = (String) row.get("table_name");
      String column = (String) row.get("column_name");
      assertNotNull(row.get("comment"), relation + "." + column + " has no comment");
      assertEquals(descriptions.column(relation, column, columnsOf), row.get("comment"), relation + "." + column);
      described++;
    }
    assertTrue(described > 150, "every column of 7 tables and 10 views: " + described);
    for (Map<String, Object> row : DuckDbReader.query(database(), "SELECT table_name AS name, comment FROM "
        + "duckdb_tables() WHERE " + OURS + " UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE "
        + OURS)) {
      assertNotNull(row.get("comment"), row.get("name") + " has no comment");
    }
    // A feature column is described as a feature, a profile column by its feature and statistic.
    assertTrue(descriptions.column("segment_profiles", "income_mean", columnsOf).contains("income"));
    assertTrue(descriptions.column("customer_segments", "income", columnsOf).contains("feature income"));
  }

  /** Customers with a next best product in the latest run date, each once in cross_sell_candidates; their count. */
  private static long assertOneRowPerEligibleCustomer(Path database) {
    long eligible = DuckDbReader.count(database, "SELECT COUNT(*) FROM customer_segments WHERE run_date = "
        + "(SELECT MAX(run_date) FROM customer_segments) AND next_best_product IS NOT NULL");
    assertEquals(eligible, DuckDbReader.count(database, "SELECT COUNT(*) FROM cross_sell_candidates"));
    assertEquals(eligible, DuckDbReader.count(database,
        "SELECT COUNT(DISTINCT customer_id) FROM cross_sell_candidates"));
    assertEquals(0, DuckDbReader.count(database, "SELECT COUNT(*) FROM cross_sell_candidates c JOIN sales_enriched s "
        + "ON s.customer_id = c.customer_id AND s.run_date = c.run_date AND s.product_type = c.next_best_product"),
        "nobody is offered a product type they hold");
    return eligible;
  }

  @Test
  void onTheUsersSheetsCrossSellCandidatesHoldOneRowPerEligibleCustomer(@TempDir Path output) {
    Path seed = SharedDatasets.folder("seed_project");
    SamplePipelineRun.run(seed, output, "2025-12-14");
    long eligible = assertOneRowPerEligibleCustomer(output.resolve("current").resolve(DuckDbSnapshot.FILE_NAME));
    System.out.println("the users' sheets: " + eligible + " cross-sell candidates");
  }

  @Test
  void crossSellCandidatesHoldOneRowPerCustomerWithANextBestProductBestLiftFirst() {
    assertTrue(assertOneRowPerEligibleCustomer(database()) > 0, "the sample's segments offer something to someone");
    List<Map<String, Object>> rows = DuckDbReader.query(database(), "SELECT call_order, next_best_product_lift, "
        + "customer_value, preferred_channel, preferred_time FROM cross_sell_candidates");
    for (int i = 0; i < rows.size(); i++) {
      assertEquals((long) i + 1, ((Number) rows.get(i).get("call_order")).longValue(), "rows in call order");
      assertTrue(((Number) rows.get(i).get("next_best_product_lift")).doubleValue() >= 1.2, "above the lift floor");
      assertNotNull(rows.get(i).get("preferred_channel"), "the sample's customers sheet has Preferred_Channel");
      assertNotNull(rows.get(i).get("preferred_time"), "the sample's customers sheet has Preferred_Time");
      if (i > 0) {
        double before = ((Number) rows.get(i - 1).get("next_best_product_lift")).doubleValue();
        double now = ((Number) rows.get(i).get("next_best_product_lift")).doubleValue();
        assertTrue(before > now || before == now && ((Number) rows.get(i - 1).get("customer_value")).doubleValue()
            >= ((Number) rows.get(i).get("customer_value")).doubleValue(), "best lift, then highest value first");
      }
    }
    assertFalse(DuckDbReader.query(database(), "SELECT * FROM segment_product_affinity WHERE attribute = "
        + "'product_category'").isEmpty(), "categories are counted too");
  }
}
