package dev.segments.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.LocalSpark;
import dev.segments.cluster.Prototype;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SegmentProfilesTest {
  private static final StructType SCHEMA = new StructType()
      .add("segment", DataTypes.IntegerType, false)
      .add("age", DataTypes.DoubleType, false)
      .add("income", DataTypes.DoubleType, false)
      .add("marital", DataTypes.StringType, false)
      .add("city", DataTypes.StringType, false)
      .add("revenue", DataTypes.DoubleType, true);

  private static final double[] INCOMES = {1000, 3000, 2000, 5000, 7000, 6000, 9000};

  private static SegmentProfiles.Result computed;

  /** Computed once: each computation runs several small Spark jobs. */
  private static synchronized SegmentProfiles.Result compute() {
    if (computed != null) {
      return computed;
    }
    Dataset<Row> customers = LocalSpark.session().createDataFrame(List.of(
        RowFactory.create(1, 20.0, 1000.0, "Single", "Leeds", 100.0),
        RowFactory.create(1, 30.0, 3000.0, "Single", "Leeds", 50.0),
        RowFactory.create(1, 40.0, 2000.0, "Married", "York", 50.0),
        RowFactory.create(2, 50.0, 5000.0, "Married", "Derby", 300.0),
        RowFactory.create(2, 60.0, 7000.0, "Married", "Bath", 0.0),
        RowFactory.create(2, 70.0, 6000.0, "Divorced", "York", null),
        RowFactory.create(2, 80.0, 9000.0, "Married", "Ayr", 100.0)), SCHEMA).repartition(3);
    computed = SegmentProfiles.compute(customers, "segment", List.of("age", "income"), List.of("marital", "city"),
        "revenue");
    return computed;
  }

  @Test
  void profilesMatchTheHandCalculation() {
    List<SegmentProfile> profiles = compute().profiles();
    assertEquals(2, profiles.size());
    SegmentProfile one = profiles.get(0);
    SegmentProfile two = profiles.get(1);
    assertEquals(1, one.segmentId());
    assertEquals(3, one.size());
    assertEquals(4, two.size());
    assertEquals(3.0 / 7, one.share(), 1e-12);
    assertEquals(4.0 / 7, two.share(), 1e-12);
    // Revenue 200 and 100+300+0+null(=0) = 400, of 600.
    assertEquals(1.0 / 3, one.revenueShare(), 1e-12);
    assertEquals(2.0 / 3, two.revenueShare(), 1e-12);

    // Age: mean 50, population variance (900+400+100+0+100+400+900)/7 = 400, std 20.
    SegmentProfile.Numeric ageOne = one.numeric().get(0);
    SegmentProfile.Numeric ageTwo = two.numeric().get(0);
    assertEquals(30, ageOne.mean(), 1e-12);
    assertEquals(30, ageOne.median(), 1e-12);
    assertEquals((30 - 50) / 20.0, ageOne.z(), 1e-12);
    assertEquals(65, ageTwo.mean(), 1e-12);
    assertEquals((60 + 70) / 2.0, ageTwo.median(), 1e-12);  // even count: mean of the two middle values
    assertEquals((65 - 50) / 20.0, ageTwo.z(), 1e-12);

    double incomeMean = Arrays.stream(INCOMES).sum() / 7;
    double incomeStd = Math.sqrt(Arrays.stream(INCOMES).map(x -> (x - incomeMean) * (x - incomeMean)).sum() / 7);
    SegmentProfile.Numeric incomeTwo = two.numeric().get(1);
    assertEquals("income", incomeTwo.feature());
    assertEquals(6750, incomeTwo.mean(), 1e-9);
    assertEquals(6500, incomeTwo.median(), 1e-9);
    assertEquals((6750 - incomeMean) / incomeStd, incomeTwo.z(), 1e-12);
    assertEquals((2000 - incomeMean) / incomeStd, one.numeric().get(1).z(), 1e-12);

    SegmentProfile.Categorical maritalOne = one.categorical().get(0);
    assertEquals(List.of(new SegmentProfile.CategoryShare("Single", 2.0 / 3, 2.0 / 7),
        new SegmentProfile.CategoryShare("Married", 1.0 / 3, 4.0 / 7)), maritalOne.top());
    // Four cities, one customer each: the top three by name.
    assertEquals("Ayr 25% · Bath 25% · Derby 25%", two.categorical().get(1).summary());
  }

  @Test
  void theTableHasOneRowPerSegmentWithTheDocumentedColumns() {
    Dataset<Row> table = compute().table().orderBy("segment_id");
    assertEquals(List.of("segment_id", "size", "share", "revenue_share", "age_mean", "age_median", "age_z",
        "income_mean", "income_median", "income_z", "marital_mode", "marital_top", "city_mode", "city_top"),
        List.of(table.columns()));
    List<Row> rows = table.collectAsList();
    assertEquals(2, rows.size());
    assertEquals("Single 67% · Married 33%", rows.get(0).getAs("marital_top"));
    assertEquals("Married 75% · Divorced 25%", rows.get(1).getAs("marital_top"));
    assertEquals(65.0, (double) rows.get(1).getAs("age_median"), 1e-12);
    assertEquals("Ayr", rows.get(1).getAs("city_mode"));
  }

  @Test
  void prototypesReadBackFromTheTableAreTheMeansAndModes() {
    Map<Integer, Prototype> prototypes = SegmentProfiles.prototypes(compute().table(), List.of("age", "income"),
        List.of("marital", "city"));
    assertEquals(2, prototypes.size());
    assertArrayEquals(new double[] {65, 6750}, prototypes.get(2).numericCentre(), 1e-9);
    assertArrayEquals(new String[] {"Married", "Ayr"}, prototypes.get(2).modes());
    assertArrayEquals(compute().profiles().get(0).prototype().numericCentre(), prototypes.get(1).numericCentre());
    assertArrayEquals(new String[] {"Single", "Leeds"}, prototypes.get(1).modes());
  }

  @Test
  void namesFollowFromTheComputedProfiles() {
    // Segment 1: income z = (2000-4714)/2657 = -1.02 beats age z = -1; Single lift (2/3)/(2/7) = 2.33, share 67 %.
    // Segment 2: income z = 0.77 beats age z = 0.75; Married lift (3/4)/(4/7) = 1.31, share 75 %.
    assertEquals(Map.of(1, "Low income · younger · Single", 2, "High income · older · Married"),
        SegmentNamer.names(compute().profiles()));
  }
}
