package dev.segments.sink;

import static dev.segments.sink.SampleRun.sale;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.segments.LocalSpark;
import dev.segments.sink.SampleRun.Member;
import dev.segments.sink.SampleRun.Sale;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every view, read in DuckDB after two publishes (an older and a latest run date), against numbers worked out here
 * from the rows that went in.
 */
class ReportingViewsTest {
  private static final double EPS = 1e-9;

  @TempDir
  static Path out;

  static SampleRun previous;
  static SampleRun latest;
  static Path database;

  @BeforeAll
  static void publishTwoRunDates() {
    previous = SampleRun.of("run-1", LocalDate.parse("2024-03-31"), List.of(
        sale("A1", "c1", "P1", "2020-06-30", 100, 1000.0, 30, 1),
        sale("A2", "c2", "P1", "2014-01-15", 50, 500.0, null, 1),
        sale("A3", "c3", "P3", "2023-01-01", 300, 3000.0, 70, 0),
        sale("A4", "c9", "P2", "2022-05-05", 75, null, 33, 0)), List.of());
    latest = SampleRun.of("run-2", LocalDate.parse("2024-06-30"), List.of(
        sale("S1", "c1", "P1", "2020-06-30", 100, 1000.0, 30, 0),
        sale("S2", "c1", "P2", "2023-12-31", 200, null, 30, 0),
        sale("S3", "c2", "P1", "2014-01-15", 50, 500.0, null, 1),
        sale("S4", "c3", "P3", "2024-06-01", 300, 3000.0, 70, 1),
        sale("S5", "c4", "P1", "2019-02-10", 80, 800.0, 24, 0),
        sale("S6", "c5", "P2", "2022-08-20", 120, 1200.0, 50, 1),
        sale("S7", "c6", "P3", "2024-02-29", 90, null, 60, 2),
        sale("S8", "c7", "P3", "2021-11-11", 150, 1500.0, 40, 2)),
        List.of(new Member("c8", 2, "segment 2")));
    LocalWarehouse warehouse = new LocalWarehouse(out, LocalSpark.session());
    warehouse.publish(previous.outputs());
    warehouse.publish(latest.outputs());
    database = warehouse.current().resolve(DuckDbSnapshot.FILE_NAME);
  }

  private static double tenureYears(Sale sale) {
    return Math.round(ChronoUnit.DAYS.between(sale.purchaseDate(), latest.runDate) / 365.25 * 100) / 100.0;
  }

  private static String ageGroup(Integer age) {
    if (age == null) {
      return "unknown";
    }
    int[] bounds = {25, 35, 45, 55, 65};
    String[] names = {"<25", "25-34", "35-44", "45-54", "55-64"};
    for (int i = 0; i < bounds.length; i++) {
      if (age < bounds[i]) {
        return names[i];
      }
    }
    return "65+";
  }

  private static String tenureGroup(double years) {
    return years < 1 ? "<1y" : years < 3 ? "1-3y" : years < 5 ? "3-5y" : years < 10 ? "5-10y" : "10y+";
  }

  private static double number(Object value) {
    return ((Number) value).doubleValue();
  }

  @Test
  void salesJoinedHoldsTheLatestRunDateWithDerivedColumns() {
    List<Map<String, Object>> rows = DuckDbReader.query(database, "SELECT * FROM sales_joined");
    assertEquals(latest.sales.size(), rows.size());
    Map<String, Map<String, Object>> byPolicy =
        rows.stream().collect(Collectors.toMap(r -> (String) r.get("policy_id"), Function.identity()));
    Set<String> tenureGroupsSeen = new HashSet<>();
    for (Sale sale : latest.sales) {
      Map<String, Object> row = byPolicy.get(sale.policyId());
      double years = tenureYears(sale);
      assertEquals(ageGroup(sale.age()), row.get("age_group"), sale.policyId());
      assertEquals(years, number(row.get("tenure_years")), EPS, sale.policyId());
      assertEquals(tenureGroup(years), row.get("tenure_group"), sale.policyId());
      assertEquals(sale.premium() * years, number(row.get("customer_value")), 1e-6, sale.policyId());
      assertEquals(latest.runDate, (LocalDate) row.get("run_date"));
      tenureGroupsSeen.add((String) row.get("tenure_group"));
    }
    // The sample covers every tenure group, so a wrong boundary shows.
    assertEquals(Set.of("<1y", "1-3y", "3-5y", "5-10y", "10y+"), tenureGroupsSeen);
  }

  @Test
  void overallStatsSummariseTheLatestRunDate() {
    Map<String, Object> row = DuckDbReader.query(database, "SELECT * FROM overall_stats").get(0);
    List<Sale> sales = latest.sales;
    Map<String, Integer> ageByCustomer = new HashMap<>();
    sales.stream().filter(s -> s.age() != null).forEach(s -> ageByCustomer.put(s.customerId(), s.age()));
    assertEquals(sales.stream().map(Sale::customerId).distinct().count(), number(row.get("customers")));
    assertEquals(sales.size(), number(row.get("policies")));
    assertEquals(sales.stream().mapToDouble(Sale::premium).sum(), number(row.get("total_premium")), EPS);
    assertEquals(sales.stream().mapToDouble(Sale::premium).average().orElseThrow(),
        number(row.get("avg_premium")), EPS);
    assertEquals(sales.stream().filter(s -> s.coverage() != null).mapToDouble(Sale::coverage).average()
        .orElseThrow(), number(row.get("avg_coverage")), EPS);
    assertEquals(ageByCustomer.values().stream().mapToInt(Integer::intValue).average().orElseThrow(),
        number(row.get("avg_age")), EPS);
    assertEquals(sales.stream().mapToDouble(ReportingViewsTest::tenureYears).average().orElseThrow(),
        number(row.get("avg_tenure_years")), EPS);
  }

  @Test
  void productMixCountsBySegmentAndProductTypeAndCategory() {
    Map<String, String> expected = new TreeMap<>();
    for (String dimension : List.of("product_type", "product_category")) {
      Function<Sale, String> attribute =
          dimension.equals("product_type") ? Sale::productType : Sale::productCategory;
      latest.sales.stream()
          .collect(Collectors.groupingBy(s -> s.segmentId() + "|" + dimension + "|" + attribute.apply(s)))
          .forEach((key, group) -> expected.put(key, group.size() + "|"
              + group.stream().map(Sale::customerId).distinct().count() + "|"
              + group.stream().mapToDouble(Sale::premium).sum()));
    }
    Map<String, String> actual = new TreeMap<>();
    for (Map<String, Object> row : DuckDbReader.query(database, "SELECT * FROM product_mix_by_segment")) {
      actual.put(row.get("segment_id") + "|" + row.get("dimension") + "|" + row.get("value"),
          row.get("policies") + "|" + row.get("customers") + "|" + number(row.get("total_premium")));
    }
    assertEquals(expected, actual);
  }

  @Test
  void topProductsRankByPoliciesAndByPremium() {
    Map<String, List<Sale>> byProduct = latest.sales.stream().collect(Collectors.groupingBy(Sale::productId));
    List<Map<String, Object>> rows = DuckDbReader.query(database, "SELECT * FROM top_products");
    assertEquals(byProduct.size(), rows.size());
    for (Map<String, Object> row : rows) {
      List<Sale> sold = byProduct.get((String) row.get("product_id"));
      double premium = sold.stream().mapToDouble(Sale::premium).sum();
      long policiesRank = 1 + byProduct.values().stream().filter(g -> g.size() > sold.size()).count();
      long premiumRank = 1 + byProduct.values().stream()
          .filter(g -> g.stream().mapToDouble(Sale::premium).sum() > premium).count();
      assertEquals(sold.size(), number(row.get("policies")));
      assertEquals(premium, number(row.get("total_premium")), EPS);
      assertEquals(policiesRank, number(row.get("rank_by_policies")));
      assertEquals(premiumRank, number(row.get("rank_by_premium")));
    }
  }

  @Test
  void topCustomersAreRankedByTotalCustomerValue() {
    Map<String, Double> valueByCustomer = latest.sales.stream().collect(
        Collectors.groupingBy(Sale::customerId, Collectors.summingDouble(s -> s.premium() * tenureYears(s))));
    List<String> expectedOrder = valueByCustomer.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).toList();
    List<Map<String, Object>> rows =
        DuckDbReader.query(database, "SELECT * FROM top_customers_by_value ORDER BY value_rank");
    assertEquals(expectedOrder, rows.stream().map(r -> (String) r.get("customer_id")).toList());
    for (Map<String, Object> row : rows) {
      String customer = (String) row.get("customer_id");
      assertEquals(valueByCustomer.get(customer), number(row.get("customer_value")), 1e-6);
      assertEquals(latest.sales.stream().filter(s -> s.customerId().equals(customer)).count(),
          number(row.get("policies")));
    }
  }

  @Test
  void segmentSummaryIsTheLatestRunDatesProfiles() {
    List<Map<String, Object>> rows = DuckDbReader.query(database, "SELECT * FROM segment_summary");
    Map<Integer, Long> sizes =
        latest.members.stream().collect(Collectors.groupingBy(Member::segmentId, Collectors.counting()));
    assertEquals(sizes.size(), rows.size());
    for (Map<String, Object> row : rows) {
      assertEquals("run-2", row.get("run_id"));
      assertEquals((double) sizes.get((Integer) row.get("segment_id")), number(row.get("size")));
    }
  }

  @Test
  void salesBySegmentMonthGroupsByMonthOfPurchase() {
    Map<String, String> expected = new TreeMap<>();
    latest.sales.stream()
        .collect(Collectors.groupingBy(s -> s.segmentId() + "|" + YearMonth.from(s.purchaseDate()).atDay(1)))
        .forEach((key, group) -> expected.put(key,
            group.size() + "|" + group.stream().mapToDouble(Sale::premium).sum()));
    Map<String, String> actual = new TreeMap<>();
    for (Map<String, Object> row : DuckDbReader.query(database, "SELECT * FROM sales_by_segment_month")) {
      actual.put(row.get("segment_id") + "|" + (LocalDate) row.get("purchase_month"),
          row.get("policies") + "|" + number(row.get("total_premium")));
    }
    assertEquals(expected, actual);
  }

  @Test
  void customerLatestSegmentHasEveryLatestCustomerOnce() {
    Set<String> expected = latest.members.stream().map(m -> m.customerId() + "|" + m.segmentId())
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> actual = DuckDbReader.query(database, "SELECT * FROM customer_latest_segment").stream()
        .map(r -> r.get("customer_id") + "|" + r.get("segment_id")).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, actual);
    assertEquals(latest.members.size(), DuckDbReader.count(database, "SELECT COUNT(*) FROM customer_latest_segment"));
  }

  @Test
  void segmentMigrationCountsMovesOfCustomersInBothRunDates() {
    Map<String, Integer> before = previous.members.stream()
        .collect(Collectors.toMap(Member::customerId, Member::segmentId));
    Map<String, Long> expected = new TreeMap<>(latest.members.stream()
        .filter(m -> before.containsKey(m.customerId()))
        .collect(Collectors.groupingBy(m -> before.get(m.customerId()) + "->" + m.segmentId(),
            Collectors.counting())));
    Map<String, Long> actual = new TreeMap<>();
    for (Map<String, Object> row : DuckDbReader.query(database, "SELECT * FROM segment_migration")) {
      actual.put(row.get("from_segment_id") + "->" + row.get("to_segment_id"), (long) number(row.get("customers")));
      assertEquals(previous.runDate, (LocalDate) row.get("from_run_date"));
      assertEquals(latest.runDate, (LocalDate) row.get("to_run_date"));
      assertEquals("segment " + row.get("to_segment_id"), row.get("to_segment_name"));
    }
    assertEquals(expected, actual);
    // c1 moved 1 -> 0 and c3 0 -> 1; c2 stayed in 1.
    assertEquals(Map.of("0->1", 1L, "1->0", 1L, "1->1", 1L), actual);
  }

  @Test
  void modelRunsKeepTheirTypesAndNullSilhouette() {
    Map<String, Object> types = new TreeMap<>();
    DuckDbReader.query(database, "SELECT column_name, data_type FROM information_schema.columns "
        + "WHERE table_name = 'model_runs'").forEach(r -> types.put((String) r.get("column_name"), r.get("data_type")));
    assertEquals("DATE", types.get("run_date"));
    assertEquals("DATE", types.get("as_of"));
    assertEquals("TIMESTAMP", types.get("started_at"));
    assertEquals("BIGINT", types.get("rows_read"));
    List<Map<String, Object>> rows = DuckDbReader.query(database, "SELECT * FROM model_runs ORDER BY run_date");
    assertEquals(List.of("run-1", "run-2"), rows.stream().map(r -> (String) r.get("run_id")).toList());
    assertNull(rows.get(1).get("silhouette"));
    assertEquals(Objects.requireNonNull(rows.get(1).get("started_at")).toString().substring(0, 19),
        "2024-01-01 02:00:00");
  }
}
