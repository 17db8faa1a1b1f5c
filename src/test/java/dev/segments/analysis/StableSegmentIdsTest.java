package dev.segments.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.LocalSpark;
import dev.segments.cluster.Prototype;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class StableSegmentIdsTest {
  // Features: age, income; modes: marital status, product type.
  private static final double[] STD = {10, 20_000};
  private final StableSegmentIds ids = new StableSegmentIds(STD, 0.5, 1.0);

  private static Prototype proto(double age, double income, String marital, String product) {
    return new Prototype(new double[] {age, income}, new String[] {marital, product});
  }

  private static final Map<Integer, Prototype> PREVIOUS = Map.of(
      3, proto(25, 30_000, "Single", "Auto"),
      5, proto(45, 80_000, "Married", "Life"),
      8, proto(65, 40_000, "Married", "Health"));

  @Test
  void costIsScaledSquaredDistancePlusGammaPerModeMismatch() {
    // age (30-25)/10 = 0.5 -> 0.25; income (50k-30k)/20k = 1 -> 1; one mode differs -> 0.5. Total 1.75.
    assertEquals(1.75, ids.cost(proto(30, 50_000, "Single", "Life"), proto(25, 30_000, "Single", "Auto")), 1e-12);
  }

  @Test
  void keepsIdsWhenPrototypesArePermutedAndSlightlyMoved() {
    Map<Integer, Prototype> tonight = Map.of(
        0, proto(66, 41_000, "Married", "Health"),
        1, proto(24, 31_500, "Single", "Auto"),
        2, proto(46, 78_000, "Married", "Life"));
    Map<Integer, Integer> mapping = ids.assign(PREVIOUS, 8, tonight, Map.of(0, 10L, 1, 30L, 2, 20L));
    assertEquals(Map.of(0, 8, 1, 3, 2, 5), mapping);
  }

  @Test
  void givesAGenuinelyNewPrototypeAFreshIdAfterTheLargestPreviousOne() {
    Map<Integer, Prototype> tonight = Map.of(
        0, proto(45, 81_000, "Married", "Life"),
        1, proto(25, 29_000, "Single", "Auto"),
        2, proto(35, 150_000, "Divorced", "Property"),  // far from all three previous segments
        3, proto(64, 40_000, "Married", "Health"));
    Map<Integer, Integer> mapping = ids.assign(PREVIOUS, 8, tonight, Map.of(0, 5L, 1, 5L, 2, 5L, 3, 5L));
    assertEquals(Map.of(0, 5, 1, 3, 2, 9, 3, 8), mapping);
  }

  @Test
  void aMatchAboveTheThresholdIsANewSegmentAndVanishedSegmentsAreNotReused() {
    // Only two clusters tonight; cluster 1 is closest to segment 3 but 2 std of age away (cost 4 > 1).
    Map<Integer, Prototype> tonight = Map.of(
        0, proto(45, 80_000, "Married", "Life"),
        1, proto(45, 30_000, "Single", "Auto"));
    Map<Integer, Integer> mapping = ids.assign(PREVIOUS, 8, tonight, Map.of(0, 5L, 1, 5L));
    assertEquals(Map.of(0, 5, 1, 9), mapping);
  }

  @Test
  void withoutAPreviousRunIdsFollowSizeLargestFirst() {
    Map<Integer, Prototype> tonight = Map.of(
        0, proto(45, 80_000, "Married", "Life"),
        1, proto(25, 30_000, "Single", "Auto"),
        2, proto(65, 40_000, "Married", "Health"));
    Map<Integer, Integer> mapping = ids.assign(Map.of(), 0, tonight, Map.of(0, 20L, 1, 50L, 2, 20L));
    // Sizes 50 > 20 = 20: cluster 1 first, then the tie 0 before 2 by index.
    assertEquals(Map.of(1, 1, 0, 2, 2, 3), mapping);
  }

  /**
   * Three nights, each reading only the previous night's segment_profiles (as the pipeline does through
   * Warehouse.latestBefore): night 1 has segments 1, 2, 3; on night 2 segment 3's group is gone; on night 3 a new
   * group appears. It must get 4, not the retired 3, which the previous night's own ids (1, 2) no longer show.
   */
  @Test
  void anIdRetiredOnAnEarlierNightIsNeverGivenAgain() {
    SparkSession spark = LocalSpark.session();
    List<String> numeric = List.of("age", "income");
    List<String> categorical = List.of("marital", "product");
    Prototype young = proto(25, 30_000, "Single", "Auto");
    Prototype families = proto(45, 80_000, "Married", "Life");
    Prototype retirees = proto(65, 40_000, "Married", "Health");
    Prototype affluent = proto(40, 150_000, "Divorced", "Property");

    Map<Integer, Integer> night1 = ids.assign(Map.of(), 0, Map.of(0, young, 1, families, 2, retirees),
        Map.of(0, 30L, 1, 20L, 2, 10L));
    assertEquals(Map.of(0, 1, 1, 2, 2, 3), night1);
    Dataset<Row> profiles1 = profileTable(spark, Map.of(1, young, 2, families, 3, retirees),
        StableSegmentIds.highestIdUsed(0, night1));

    int before2 = StableSegmentIds.highestIdUsed(profiles1);
    Map<Integer, Integer> night2 = ids.assign(SegmentProfiles.prototypes(profiles1, numeric, categorical), before2,
        Map.of(0, families, 1, young), Map.of(0, 20L, 1, 30L));
    assertEquals(Map.of(0, 2, 1, 1), night2);
    Dataset<Row> profiles2 = profileTable(spark, Map.of(1, young, 2, families),
        StableSegmentIds.highestIdUsed(before2, night2));

    int before3 = StableSegmentIds.highestIdUsed(profiles2);
    assertEquals(3, before3, "the retired id is remembered");
    Map<Integer, Integer> night3 = ids.assign(SegmentProfiles.prototypes(profiles2, numeric, categorical), before3,
        Map.of(0, young, 1, affluent, 2, families), Map.of(0, 30L, 1, 5L, 2, 20L));
    assertEquals(Map.of(0, 1, 1, 4, 2, 2), night3);

    // A table written before the column existed: its largest id is the best history there is.
    assertEquals(2, StableSegmentIds.highestIdUsed(profiles2.drop(StableSegmentIds.HIGH_WATER_COLUMN)));
  }

  private static Dataset<Row> profileTable(SparkSession spark, Map<Integer, Prototype> segments, int highWater) {
    StructType schema = new StructType().add("segment_id", DataTypes.IntegerType).add("age_mean", DataTypes.DoubleType)
        .add("income_mean", DataTypes.DoubleType).add("marital_mode", DataTypes.StringType)
        .add("product_mode", DataTypes.StringType).add(StableSegmentIds.HIGH_WATER_COLUMN, DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    segments.forEach((id, p) -> rows.add(RowFactory.create(id, p.numericCentre()[0], p.numericCentre()[1],
        p.modes()[0], p.modes()[1], highWater)));
    return spark.createDataFrame(rows, schema);
  }
}
