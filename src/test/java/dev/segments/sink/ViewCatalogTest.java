package dev.segments.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ViewCatalogTest {
  @Test
  void loadsTheViewsInIndexOrderEachReadingOnlyTablesAndEarlierViews() {
    List<View> views = ViewCatalog.load().views();
    assertEquals(List.of("sales_joined", "overall_stats", "product_mix_by_segment", "top_products",
        "top_customers_by_value", "segment_summary", "sales_by_segment_month", "customer_latest_segment",
        "segment_migration", "cross_sell_candidates"), views.stream().map(View::name).toList());
    Set<String> readable = new HashSet<>();
    for (OutputTable table : OutputTable.values()) {
      readable.add(table.tableName());
    }
    for (View view : views) {
      assertTrue(readable.containsAll(view.references()), view.name() + " reads " + view.references());
      assertTrue(!view.description().isBlank(), view.name());
      readable.add(view.name());
    }
  }

  @Test
  void rendersTablesThroughTheCallerAndFunctionsThroughTheDialect() {
    View view = new View("v", "", "SELECT {{days_between(a, f(b, c))}}, {{month_start(d)}} FROM {{t}}", List.of("t"));
    assertEquals("SELECT DATE_DIFF('day', a, f(b, c)), CAST(DATE_TRUNC('month', d) AS DATE) FROM t",
        ViewCatalog.render(view, SqlDialect.DUCKDB, name -> name));
    assertEquals("SELECT DATE_DIFF(f(b, c), a, DAY), DATE_TRUNC(d, MONTH) FROM `p.d.t`",
        ViewCatalog.render(view, SqlDialect.BIGQUERY, name -> "`p.d." + name + "`"));
    assertEquals("SELECT DATEDIFF(f(b, c), a), TRUNC(d, 'MM') FROM t",
        ViewCatalog.render(view, SqlDialect.SPARK, name -> name));
  }

  @Test
  void unknownFunctionsAndWrongArgumentCountsAreRefused() {
    View unknown = new View("v", "", "SELECT {{week_start(d)}}", List.of());
    assertThrows(IllegalArgumentException.class, () -> ViewCatalog.render(unknown, SqlDialect.DUCKDB, n -> n));
    View missingArgument = new View("v", "", "SELECT {{days_between(d)}}", List.of());
    assertThrows(IllegalArgumentException.class,
        () -> ViewCatalog.render(missingArgument, SqlDialect.BIGQUERY, n -> n));
  }
}
