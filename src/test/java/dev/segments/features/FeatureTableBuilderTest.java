package dev.segments.features;

import static dev.segments.features.Feature.categorical;
import static dev.segments.features.Feature.numeric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.features.FeatureSource.CustomerColumn;
import dev.segments.features.FeatureSource.DateMeasure;
import dev.segments.features.FeatureSource.Favourite;
import dev.segments.features.FeatureSource.PurchaseDays;
import dev.segments.features.FeatureSource.SalesCount;
import dev.segments.features.FeatureSource.SalesStatistic;
import dev.segments.features.FeatureSource.Share;
import dev.segments.features.FeatureSource.Statistic;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.IngestResult;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Five customers and nine policies, run on 2025-12-15; every expected number below is worked out by hand from the
 * rows in {@link #tables()}.
 */
class FeatureTableBuilderTest {

  private static final LocalDate RUN_DATE = LocalDate.of(2025, 12, 15);
  private static final double EPS = 1e-9;

  private static final FeatureSpec SPEC = new FeatureSpec(List.of(
      numeric("age", new CustomerColumn("Age")),
      numeric("income", new CustomerColumn("Income")),
      numeric("policies", new SalesCount()),
      numeric("total_premium", SalesStatistic.of(Statistic.SUM, "Premium")),
      numeric("mean_premium", SalesStatistic.of(Statistic.MEAN, "Premium")),
      numeric("min_premium", SalesStatistic.of(Statistic.MIN, "Premium")),
      numeric("max_premium", SalesStatistic.of(Statistic.MAX, "Premium")),
      numeric("premium_to_coverage", SalesStatistic.ratio(Statistic.MEAN, "Premium", "Coverage", 100)),
      numeric("recency_days", new PurchaseDays(DateMeasure.RECENCY)),
      numeric("tenure_days", new PurchaseDays(DateMeasure.TENURE)),
      numeric("life_share", new Share("Product_Type", "Life")),
      categorical("gender", new CustomerColumn("Gender")),
      categorical("marital_status", new CustomerColumn("Marital_Status")),
      categorical("favourite_product_type", new Favourite("Product_Type")),
      categorical("favourite_category", new Favourite("Category"))));

  private static Map<String, Row> byCustomer;
  private static FeatureTable table;

  @BeforeAll
  static void build() {
    table = FeatureTableBuilder.build(tables(), DataContract.defaultLayout(), SPEC, RUN_DATE);
    byCustomer = new HashMap<>();
    for (Row row : table.rows().collectAsList()) {
      byCustomer.put(row.getAs(FeatureTable.CUSTOMER_ID), row);
    }
  }

  static IngestResult tables() {
    List<Row> customers = List.of(
        customer("C1", 30, 1000.0, "Male", "Single"),
        customer("C2", null, 2000.0, "Female", "Married"),
        customer("C3", 50, 3000.0, "Female", "Divorced"),
        customer("C4", 45, null, null, "Married"),
        customer("C5", 60, 5000.0, "Male", "Single"));
    List<Row> products = List.of(
        RowFactory.create("P1", "WellBeing Cover", "Health", "Group"),
        RowFactory.create("P2", "TruePromise", "Life", "Individual"),
        RowFactory.create("P3", "LifeShield Family", "Life", "Family"),
        RowFactory.create("P4", "QuickCover Auto", "Auto", "Individual"));
    List<Row> sales = List.of(
        sale("S1", "C1", "P1", "2025-12-05", 100, 10000.0),
        sale("S2", "C1", "P2", "2025-06-18", 200, 5000.0),
        sale("S3", "C1", "P2", "2024-12-15", 300, null),
        sale("S4", "C2", "P1", "2025-12-01", 50, 1000.0),
        sale("S5", "C2", "P4", "2025-11-15", 150, 3000.0),
        sale("S6", "C3", "P3", "2023-12-15", 400, 20000.0),
        sale("S7", "C3", "P2", "2025-12-15", 100, 10000.0),
        sale("S8", "C3", "P3", "2025-01-15", 700, 7000.0),
        sale("S9", "C5", "P4", "2025-06-15", 1000, null));
    return TypedTables.of(customers, products, sales);
  }

  @Test
  void keepsEveryCustomerOnceAndMarksThoseWithoutSales() {
    assertEquals(5, table.rows().count());
    assertEquals(5, byCustomer.size());
    assertTrue(byCustomer.get("C1").<Boolean>getAs(FeatureTable.HAS_SALES));
    assertTrue(byCustomer.get("C5").<Boolean>getAs(FeatureTable.HAS_SALES));
    assertFalse(byCustomer.get("C4").<Boolean>getAs(FeatureTable.HAS_SALES));
  }

  @Test
  void columnsAreKeyThenFeaturesInSpecOrderThenHasSales() {
    StructField[] fields = table.rows().schema().fields();
    assertEquals(FeatureTable.CUSTOMER_ID, fields[0].name());
    assertEquals(DataTypes.StringType, fields[0].dataType());
    for (int i = 0; i < SPEC.features().size(); i++) {
      Feature feature = SPEC.features().get(i);
      assertEquals(feature.name(), fields[i + 1].name());
      assertEquals(feature.kind() == FeatureKind.NUMERIC ? DataTypes.DoubleType : DataTypes.StringType,
          fields[i + 1].dataType(), feature.name());
    }
    assertEquals(FeatureTable.HAS_SALES, fields[fields.length - 1].name());
    assertEquals(DataTypes.BooleanType, fields[fields.length - 1].dataType());
    assertEquals(List.of("age", "income", "policies", "total_premium", "mean_premium", "min_premium", "max_premium",
        "premium_to_coverage", "recency_days", "tenure_days", "life_share"), table.numericFeatures());
    assertEquals(List.of("gender", "marital_status", "favourite_product_type", "favourite_category"),
        table.categoricalFeatures());
    assertEquals(FeatureTable.CUSTOMER_ID, table.customerKey());
  }

  @Test
  void noFeatureIsNull() {
    for (Row row : byCustomer.values()) {
      for (int i = 0; i < row.size(); i++) {
        assertFalse(row.isNullAt(i), row.schema().fields()[i].name() + " of " + row.get(0));
      }
    }
  }

  @Test
  void aggregatesOfACustomerWithSeveralSales() {
    Row c1 = byCustomer.get("C1");
    assertNumber(3, c1, "policies");
    assertNumber(100 + 200 + 300, c1, "total_premium");
    assertNumber(600 / 3.0, c1, "mean_premium");
    assertNumber(100, c1, "min_premium");
    assertNumber(300, c1, "max_premium");
    // S3 has no coverage and is left out: mean of 100/10000*100 = 1 and 200/5000*100 = 4.
    assertNumber((1.0 + 4.0) / 2, c1, "premium_to_coverage");
    assertNumber(10, c1, "recency_days"); // 2025-12-05 to 2025-12-15
    assertNumber(365, c1, "tenure_days"); // 2024-12-15 to 2025-12-15
    assertNumber(2.0 / 3, c1, "life_share"); // S2 and S3 are P2, a Life product
    assertEquals("Life", c1.getAs("favourite_product_type"));
    assertEquals("Individual", c1.getAs("favourite_category")); // P2 twice against P1 (Group) once
    assertEquals("Male", c1.getAs("gender"));
    assertEquals("Single", c1.getAs("marital_status"));

    Row c3 = byCustomer.get("C3");
    assertNumber(1200, c3, "total_premium");
    assertNumber((2.0 + 1.0 + 10.0) / 3, c3, "premium_to_coverage"); // 400/20000, 100/10000, 700/7000, × 100
    assertNumber(0, c3, "recency_days"); // bought on the run date itself
    assertNumber(366 + 365, c3, "tenure_days"); // from 2023-12-15, across the leap day of 2024
    assertNumber(1.0, c3, "life_share");
    assertEquals("Family", c3.getAs("favourite_category")); // P3 twice, P2 once
  }

  @Test
  void favouriteTieGoesToTheValueFirstInAlphabeticalOrder() {
    Row c2 = byCustomer.get("C2"); // one Health (bought first) and one Auto; one Group and one Individual
    assertEquals("Auto", c2.getAs("favourite_product_type"));
    assertEquals("Group", c2.getAs("favourite_category"));
    assertNumber(0, c2, "life_share");
    assertNumber(14, c2, "recency_days");
    assertNumber(30, c2, "tenure_days");
  }

  @Test
  void customerWithoutSalesGetsZerosMediansAndNone() {
    Row c4 = byCustomer.get("C4");
    assertNumber(0, c4, "policies");
    assertNumber(0, c4, "total_premium");
    assertNumber(0, c4, "life_share");
    // Medians over C1, C2, C3 and C5 (four values: halfway between the middle two).
    assertNumber((200 + 400) / 2.0, c4, "mean_premium"); // 100, 200, 400, 1000
    assertNumber(100, c4, "min_premium"); // 50, 100, 100, 1000
    assertNumber((300 + 700) / 2.0, c4, "max_premium"); // 150, 300, 700, 1000
    assertNumber((10 + 14) / 2.0, c4, "recency_days"); // 0, 10, 14, 183
    assertNumber((183 + 365) / 2.0, c4, "tenure_days"); // 30, 183, 365, 731
    // Only C1, C2 and C3 have a ratio: 2.5, 5 and 13/3.
    assertNumber(13.0 / 3, c4, "premium_to_coverage");
    assertEquals("none", c4.getAs("favourite_product_type"));
    assertEquals("none", c4.getAs("favourite_category"));
  }

  @Test
  void blankCustomerValuesAreImputed() {
    assertNumber((45 + 50) / 2.0, byCustomer.get("C2"), "age"); // median of 30, 45, 50, 60
    assertNumber((2000 + 3000) / 2.0, byCustomer.get("C4"), "income"); // median of 1000, 2000, 3000, 5000
    assertEquals("unknown", byCustomer.get("C4").getAs("gender"));
  }

  @Test
  void customerWithSalesButNoRatioGetsTheMedianRatio() {
    Row c5 = byCustomer.get("C5"); // its only policy has no coverage
    assertNumber(13.0 / 3, c5, "premium_to_coverage");
    assertNumber(183, c5, "recency_days"); // 2025-06-15 to 2025-12-15
    assertNumber(1000, c5, "mean_premium");
    assertEquals("Auto", c5.getAs("favourite_product_type"));
  }

  @Test
  void specWithoutProductAttributesNeedsNoProducts() {
    FeatureSpec spec = new FeatureSpec(List.of(numeric("policies", new SalesCount()),
        categorical("marital_status", new CustomerColumn("Marital_Status"))));
    IngestResult full = tables();
    IngestResult withoutProducts = TypedTables.of(full.customers(),
        TypedTables.frame(List.of(), TypedTables.PRODUCTS), full.sales());
    Map<String, Double> policies = new HashMap<>();
    for (Row row : FeatureTableBuilder.build(withoutProducts, DataContract.defaultLayout(), spec, RUN_DATE)
        .rows().collectAsList()) {
      policies.put(row.getAs(FeatureTable.CUSTOMER_ID), row.getAs("policies"));
    }
    assertEquals(Map.of("C1", 3.0, "C2", 2.0, "C3", 3.0, "C4", 0.0, "C5", 1.0), policies);
  }

  @Test
  void specThatDoesNotFitTheContractIsRejectedBeforeAnySparkWork() {
    FeatureSpec spec = new FeatureSpec(List.of(numeric("height", new CustomerColumn("Height"))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FeatureTableBuilder.build(tables(), DataContract.defaultLayout(), spec, RUN_DATE));
    assertTrue(e.getMessage().contains("'height'") && e.getMessage().contains("'Height'"), e.getMessage());
  }

  private static void assertNumber(double expected, Row row, String feature) {
    assertEquals(expected, row.<Double>getAs(feature), EPS, feature + " of " + row.getAs(FeatureTable.CUSTOMER_ID));
  }

  private static Row customer(String id, Integer age, Double income, String gender, String maritalStatus) {
    return RowFactory.create(id, age, income, gender, "London", maritalStatus, "Bachelor's Degree", "Engineer",
        "English", "Email", "Morning");
  }

  private static Row sale(String policy, String customer, String product, String date, double premium,
      Double coverage) {
    return RowFactory.create(policy, customer, product, Date.valueOf(date), premium, coverage);
  }
}
