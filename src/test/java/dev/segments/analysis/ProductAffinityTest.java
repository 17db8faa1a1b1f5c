package dev.segments.analysis;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.LocalSpark;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Holders, shares and lift per segment and product attribute value, the offers' floors and the next best product. */
class ProductAffinityTest {
  private static final StructType SALES = new StructType().add("customer_id", DataTypes.StringType)
      .add("segment_id", DataTypes.IntegerType).add("product_type", DataTypes.StringType)
      .add("product_category", DataTypes.StringType);

  /**
   * Segment 1 has 4 customers (c1..c4), segment 2 has 6 (c5..c10; c9 and c10 without sales). Life: c1, c2, c3 (two
   * Life lines, counted once) and c5 hold it: 3/4 in segment 1, 4/10 overall, lift 1.875; 1/6 in segment 2, lift
   * 0.4167. Auto: c4, c5, c6, c7: segment 1 1/4 (lift 0.625), segment 2 3/6 (lift 1.25). Health: c8 only, 1/6 in
   * segment 2 (lift 1.667, share under 0.2).
   */
  private static final List<Row> LINES = List.of(
      RowFactory.create("c1", 1, "Life", "Family"), RowFactory.create("c2", 1, "Life", "Family"),
      RowFactory.create("c3", 1, "Life", "Family"), RowFactory.create("c3", 1, "Life", "Individual"),
      RowFactory.create("c4", 1, "Auto", "Individual"), RowFactory.create("c5", 2, "Life", "Individual"),
      RowFactory.create("c5", 2, "Auto", "Individual"), RowFactory.create("c6", 2, "Auto", "Individual"),
      RowFactory.create("c7", 2, "Auto", null), RowFactory.create("c8", 2, "Health", "Group"));

  private static List<ProductAffinity.Holding> affinity() {
    Dataset<Row> sales = LocalSpark.session().createDataFrame(LINES, SALES);
    return ProductAffinity.compute(sales, "customer_id", "segment_id", List.of("product_type", "product_category"),
        Map.of(1, 4L, 2, 6L), 10);
  }

  private static ProductAffinity.Holding find(List<ProductAffinity.Holding> rows, String attribute, String value,
      int segment) {
    return rows.stream().filter(r -> r.attribute().equals(attribute) && r.value().equals(value)
        && r.segmentId() == segment).findFirst().orElseThrow();
  }

  @Test
  void holdersCountEachCustomerOnceAndShareDividesBySegmentSizeWithCustomersWithoutSales() {
    List<ProductAffinity.Holding> rows = affinity();
    ProductAffinity.Holding life1 = find(rows, "product_type", "Life", 1);
    assertEquals(3, life1.holdersInSegment());
    assertEquals(0.75, life1.shareInSegment(), 1e-12);
    assertEquals(0.4, life1.shareOverall(), 1e-12);
    assertEquals(1.875, life1.lift(), 1e-12);
    assertEquals(0.5 / 0.4, find(rows, "product_type", "Auto", 2).lift(), 1e-12);
    // Categories are counted the same way; a null category counts for none.
    assertEquals(2, find(rows, "product_category", "Individual", 2).holdersInSegment());
    assertEquals(3, find(rows, "product_category", "Family", 1).holdersInSegment());
    assertEquals(5, rows.stream().filter(r -> r.attribute().equals("product_type")).count(),
        "Life and Auto in both segments, Health in segment 2");
    assertEquals(4, rows.stream().filter(r -> r.attribute().equals("product_category")).count(),
        "Family and Individual in segment 1, Individual and Group in segment 2");
  }

  @Test
  void offersPassBothFloorsBestLiftFirst() {
    List<ProductAffinity.Holding> rows = affinity();
    assertEquals(Map.of(1, List.of("Life"), 2, List.of("Health", "Auto")),
        ProductAffinity.offers(rows, "product_type", 1.2, 0.1));
    // Health's share in segment 2 (1/6) is below a 0.2 floor; no lift reaches 2 (Life in segment 1: 1.875).
    assertEquals(Map.of(1, List.of("Life"), 2, List.of("Auto")),
        ProductAffinity.offers(rows, "product_type", 1.2, 0.2));
    assertEquals(Map.of(), ProductAffinity.offers(rows, "product_type", 2.0, 0.1));
  }

  @Test
  void theNextBestProductIsTheFirstOfferNotHeldAndNullWhenEveryOfferIsHeldOrNoneExists() {
    SparkSession spark = LocalSpark.session();
    StructType schema = new StructType().add("customer_id", DataTypes.StringType)
        .add("segment_id", DataTypes.IntegerType).add("held", DataTypes.createArrayType(DataTypes.StringType));
    Dataset<Row> customers = spark.createDataFrame(List.of(
        RowFactory.create("holds Health", 2, Arrays.asList("Health")),
        RowFactory.create("holds both", 2, Arrays.asList("Auto", "Health")),
        RowFactory.create("holds other", 2, Arrays.asList("Life")),
        RowFactory.create("no sales", 2, null),
        RowFactory.create("no offers", 3, Arrays.asList("Life"))), schema);
    Map<Integer, List<String>> offers = Map.of(1, List.of("Life"), 2, List.of("Health", "Auto"));
    Map<String, String> next = new HashMap<>();
    customers.select(col("customer_id"), ProductAffinity.nextBest(col("segment_id"), col("held"), offers))
        .collectAsList().forEach(r -> next.put(r.getString(0), r.getString(1)));
    Map<String, String> expected = new HashMap<>();
    expected.put("holds Health", "Auto");
    expected.put("holds both", null);
    expected.put("holds other", "Health");
    expected.put("no sales", "Health");
    expected.put("no offers", null);
    assertEquals(expected, next);
  }
}
