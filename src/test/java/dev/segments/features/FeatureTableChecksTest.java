package dev.segments.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.contract.ContractException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class FeatureTableChecksTest {
  private static final StructType SCHEMA = new StructType()
      .add(FeatureTable.CUSTOMER_ID, DataTypes.StringType, false)
      .add("age", DataTypes.DoubleType, false)
      .add("gender", DataTypes.StringType, false)
      .add("city", DataTypes.StringType, false)
      .add("channel", DataTypes.StringType, false);

  /** Customers of two genders (alternating), a city each, and {@code channels} channels in turn. */
  private static FeatureTable table(int customers, int channels) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < customers; i++) {
      rows.add(RowFactory.create("C" + i, 20.0 + i % 7, i % 2 == 0 ? "F" : "M", "city " + i, "ch " + i % channels));
    }
    Dataset<Row> table = LocalSpark.session().createDataFrame(rows, SCHEMA);
    return new FeatureTable(table, List.of("age"), List.of("gender", "city", "channel"), FeatureTable.CUSTOMER_ID);
  }

  @Test
  void aCategoryWithMoreLevelsThanTheLimitOrThanHalfTheCustomersIsLeftOut() {
    // city: a value per customer (over half of them); channel: 55 values among 200 customers (over 50).
    FeatureTable checked = FeatureTableChecks.checked(table(200, 55), summary(table(200, 55)), 50, 0.5, 1)
        .table();
    assertEquals(List.of("gender"), checked.categoricalFeatures());
    assertEquals(List.of("age"), checked.numericFeatures());

    FeatureTable raised = FeatureTableChecks.checked(table(200, 55), summary(table(200, 55)), 200, 1.0, 1)
        .table();
    assertEquals(List.of("gender", "city", "channel"), raised.categoricalFeatures());
  }

  @Test
  void customersAllAlikeCannotBeSegmented() {
    FeatureTable alike = new FeatureTable(table(10, 1).rows().drop("city"), List.of(), List.of("channel"),
        FeatureTable.CUSTOMER_ID);
    ContractException error = assertThrows(ContractException.class,
        () -> FeatureTableChecks.requireDistinctCustomers(alike, summary(alike), 2));
    assertEquals("the input has 10 customers but only 1 distinct in their features; 2 segments need at least 2"
        + " customers that differ (clustering.k_min or k)", error.getMessage());
    FeatureTableChecks.requireDistinctCustomers(table(10, 1), summary(table(10, 1)), 2);
  }

  @Test
  void theSummaryCountsCustomersAndEachCategorysValues() {
    FeatureTableChecks.Summary summary = summary(table(200, 55));
    assertEquals(200, summary.customers());
    assertEquals(Map.of("gender", 2L, "city", 200L, "channel", 55L), summary.levels());
  }

  @Test
  void customersThatDifferOnlyInNumbersAreCountedByAQuery() {
    // One channel and no other category: the summary cannot tell, the distinct rows are counted.
    FeatureTable alikeButAge = new FeatureTable(table(10, 1).rows().drop("city", "gender"), List.of("age"),
        List.of("channel"), FeatureTable.CUSTOMER_ID);
    FeatureTableChecks.requireDistinctCustomers(alikeButAge, summary(alikeButAge), 7);
    ContractException error = assertThrows(ContractException.class,
        () -> FeatureTableChecks.requireDistinctCustomers(alikeButAge, summary(alikeButAge), 8));
    assertEquals("the input has 10 customers but only 7 distinct in their features; 8 segments need at least 8"
        + " customers that differ (clustering.k_min or k)", error.getMessage());
  }

  private static FeatureTableChecks.Summary summary(FeatureTable table) {
    return FeatureTableChecks.summarise(table.rows(), List.of(), table.categoricalFeatures(), 1);
  }

  @Test
  void ofTwoNumericFeaturesThatSayOneThingTheLaterIsLeftOutOfTheClusteringOnly() {
    StructType schema = new StructType().add(FeatureTable.CUSTOMER_ID, DataTypes.StringType)
        .add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType).add("c", DataTypes.DoubleType)
        .add("d", DataTypes.DoubleType).add("e", DataTypes.DoubleType).add("gender", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 300; i++) {
      double a = random.nextGaussian();
      // b = 2a + 1 (r = 1), c = -a plus a little noise (r near -1), d independent, e constant (no correlation).
      rows.add(RowFactory.create("C" + i, a, 2 * a + 1, -a + 0.05 * random.nextGaussian(), random.nextGaussian(), 1.0,
          i % 2 == 0 ? "F" : "M"));
    }
    FeatureTable table = new FeatureTable(LocalSpark.session().createDataFrame(rows, schema),
        List.of("a", "b", "c", "d", "e"), List.of("gender"), FeatureTable.CUSTOMER_ID);
    FeatureTableChecks.Checked checked =
        FeatureTableChecks.checked(table, FeatureTableChecks.summarise(table, 0.95), 50, 0.5, 0.95);
    assertEquals(List.of("b", "c"), checked.correlated().stream().map(FeatureTableChecks.Correlated::feature).toList());
    assertEquals(List.of("a", "a"), checked.correlated().stream().map(FeatureTableChecks.Correlated::kept).toList());
    assertEquals(1.0, checked.correlated().get(0).correlation(), 1e-9);
    assertTrue(checked.correlated().get(1).correlation() < -0.95, checked.correlated().toString());
    assertEquals(List.of("a", "d", "e"), checked.clusteredNumeric());
    assertEquals(List.of("a", "b", "c", "d", "e"), checked.table().numericFeatures(), "kept for the profiles");
    assertEquals(List.of("gender"), checked.table().categoricalFeatures());
    assertEquals("b (r = 1.00 with a)", checked.correlated().get(0).describe());

    assertEquals(List.of("a", "b", "c", "d", "e"),
        FeatureTableChecks.checked(table, FeatureTableChecks.summarise(table, 1), 50, 0.5, 1).clusteredNumeric(),
        "1 keeps every feature");
  }
}
