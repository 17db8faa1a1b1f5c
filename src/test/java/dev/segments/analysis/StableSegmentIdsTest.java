package dev.segments.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
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
    Map<Integer, Integer> mapping = ids.assign(PREVIOUS, tonight, Map.of(0, 10L, 1, 30L, 2, 20L));
    assertEquals(Map.of(0, 8, 1, 3, 2, 5), mapping);
  }

  @Test
  void givesAGenuinelyNewPrototypeAFreshIdAfterTheLargestPreviousOne() {
    Map<Integer, Prototype> tonight = Map.of(
        0, proto(45, 81_000, "Married", "Life"),
        1, proto(25, 29_000, "Single", "Auto"),
        2, proto(35, 150_000, "Divorced", "Property"),  // far from all three previous segments
        3, proto(64, 40_000, "Married", "Health"));
    Map<Integer, Integer> mapping = ids.assign(PREVIOUS, tonight, Map.of(0, 5L, 1, 5L, 2, 5L, 3, 5L));
    assertEquals(Map.of(0, 5, 1, 3, 2, 9, 3, 8), mapping);
  }

  @Test
  void aMatchAboveTheThresholdIsANewSegmentAndVanishedSegmentsAreNotReused() {
    // Only two clusters tonight; cluster 1 is closest to segment 3 but 2 std of age away (cost 4 > 1).
    Map<Integer, Prototype> tonight = Map.of(
        0, proto(45, 80_000, "Married", "Life"),
        1, proto(45, 30_000, "Single", "Auto"));
    Map<Integer, Integer> mapping = ids.assign(PREVIOUS, tonight, Map.of(0, 5L, 1, 5L));
    assertEquals(Map.of(0, 5, 1, 9), mapping);
  }

  @Test
  void withoutAPreviousRunIdsFollowSizeLargestFirst() {
    Map<Integer, Prototype> tonight = Map.of(
        0, proto(45, 80_000, "Married", "Life"),
        1, proto(25, 30_000, "Single", "Auto"),
        2, proto(65, 40_000, "Married", "Health"));
    Map<Integer, Integer> mapping = ids.assign(Map.of(), tonight, Map.of(0, 20L, 1, 50L, 2, 20L));
    // Sizes 50 > 20 = 20: cluster 1 first, then the tie 0 before 2 by index.
    assertEquals(Map.of(1, 1, 0, 2, 2, 3), mapping);
  }
}
