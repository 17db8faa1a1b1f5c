package dev.segments.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.analysis.KSelection.Choice;
import dev.segments.analysis.KSelection.KRow;
import dev.segments.analysis.KSelection.KScore;
import dev.segments.config.ConfigLoader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class KSelectionTest {
  /** The rule as the bundled defaults.yaml sets it. */
  private static final KSelection.Rules RULES =
      ConfigLoader.load(ConfigLoader.tree(null, List.of()), Clock.systemUTC()).analysis().rules();
  private static final int[] KS = {1, 2, 3, 4, 5, 6, 7, 8};
  /**
   * Cost falls steeply to k = 3, then flattens. Scaled: x = (k-1)/7, y = (cost-76)/924, difference = 1 - y - x:
   * k=2: 1 - 324/924 - 1/7 = 0.506; k=3: 1 - 74/924 - 2/7 = 0.634; k=4: 1 - 44/924 - 3/7 = 0.524;
   * k=5: 1 - 24/924 - 4/7 = 0.403. The local maximum 0.634 at k=3 has threshold 0.634 - 1/7 = 0.491 (mean x
   * spacing 1/7, S = 1); k=4 stays above it, k=5 falls below before any other local maximum: the knee is k=3.
   */
  private static final double[] COSTS = {1000, 400, 150, 120, 100, 90, 82, 76};

  private static List<KScore> results(double... silhouettes) {
    List<KScore> out = new ArrayList<>();
    for (int i = 0; i < KS.length; i++) {
      out.add(new KScore(KS[i], COSTS[i], silhouettes[i], Double.NaN, Double.NaN));
    }
    return out;
  }

  @Test
  void kneedleFindsTheObviousElbow() {
    double[] x = {1, 2, 3, 4, 5, 6, 7, 8};
    assertEquals(OptionalInt.of(2), Kneedle.knee(x, COSTS, 1.0));  // index 2 is k = 3
  }

  @Test
  void kneedleFindsNoKneeOnAStraightLine() {
    assertEquals(OptionalInt.empty(), Kneedle.knee(new double[] {1, 2, 3, 4}, new double[] {40, 30, 20, 10}, 1.0));
  }

  @Test
  void aClearSilhouetteWinnerBeatsTheElbow() {
    Choice choice = KSelection.choose(results(Double.NaN, 0.40, 0.45, 0.41, 0.60, 0.42, 0.30, 0.28), RULES);
    assertEquals(5, choice.k());
    assertEquals(OptionalInt.of(3), choice.elbowK());
  }

  @Test
  void aSilhouetteTieIsResolvedByTheElbow() {
    // k=2 is best (0.500); k=3 (0.495) is within 0.01 of it and is the elbow.
    Choice choice = KSelection.choose(results(Double.NaN, 0.500, 0.495, 0.40, 0.35, 0.33, 0.30, 0.28), RULES);
    assertEquals(3, choice.k());
  }

  @Test
  void whenTheElbowIsNotTiedTheTiedKClosestToItWins() {
    // Tied: k=6 (0.520), k=5 (0.515), k=8 (0.512). Elbow 3: k=5 is closest.
    Choice choice = KSelection.choose(results(Double.NaN, 0.40, 0.45, 0.41, 0.515, 0.520, 0.30, 0.512), RULES);
    assertEquals(5, choice.k());
  }

  @Test
  void withoutAnElbowTheSmallestTiedKWins() {
    Choice choice = KSelection.choose(
        List.of(new KScore(4, 50, 0.301, Double.NaN, Double.NaN), new KScore(3, 80, 0.305, Double.NaN, Double.NaN)), RULES);
    assertEquals(OptionalInt.empty(), choice.elbowK());
    assertEquals(3, choice.k());
  }

  @Test
  void theTableListsEveryKInOrderWithExactlyOneChosen() {
    List<KScore> shuffled = new ArrayList<>(results(Double.NaN, 0.40, 0.45, 0.41, 0.60, 0.42, 0.30, 0.28));
    Collections.reverse(shuffled);
    Choice choice = KSelection.choose(shuffled, RULES);
    List<KRow> table = choice.table();
    assertEquals(8, table.size());
    for (int i = 0; i < table.size(); i++) {
      assertEquals(KS[i], table.get(i).k());
      assertEquals(COSTS[i], table.get(i).cost());
      assertEquals(table.get(i).k() == 5, table.get(i).chosen());
    }
    assertTrue(Double.isNaN(table.get(0).silhouette()));
  }

  @Test
  void theTableBecomesADataset() {
    Choice choice = KSelection.choose(results(Double.NaN, 0.40, 0.45, 0.41, 0.60, 0.42, 0.30, 0.28), RULES);
    List<Row> rows = choice.toDataset(LocalSpark.session()).orderBy("k").collectAsList();
    assertEquals(List.of("k", "cost", "silhouette", "stability", "chosen", "reason"),
        List.of(choice.toDataset(LocalSpark.session()).columns()));
    assertEquals(8, rows.size());
    assertEquals(RowFactory.create(5, 100.0, 0.60, null, true, "highest Gower silhouette (0.60)"), rows.get(4));
    assertEquals(RowFactory.create(3, 150.0, 0.45, null, false, "silhouette 0.45 below the best 0.60"), rows.get(2));
  }

  private static List<KScore> withStability(double[] silhouettes, double[] stabilities) {
    List<KScore> out = new ArrayList<>();
    for (int i = 0; i < KS.length; i++) {
      out.add(new KScore(KS[i], COSTS[i], silhouettes[i], stabilities[i], Double.NaN));
    }
    return out;
  }

  @Test
  void anUnstableKLosesToAStableOneWithASimilarSilhouette() {
    // k=5 has the best silhouette (0.60) but its starts disagree (0.45); k=3 is stable and 0.03 below it.
    double[] silhouettes = {Double.NaN, 0.40, 0.57, 0.41, 0.60, 0.42, 0.30, 0.28};
    double[] stabilities = {1.0, 0.95, 0.92, 0.90, 0.45, 0.70, 0.60, 0.55};
    Choice choice = KSelection.choose(withStability(silhouettes, stabilities), RULES);
    assertEquals(3, choice.k());
    assertTrue(choice.reason().contains("preferred to k=5"), choice.reason());
    KRow five = choice.table().get(4);
    assertTrue(five.reason().startsWith("unstable: stability 0.45 < 0.80"), five.reason());
    assertEquals(0.45, five.stability());
  }

  @Test
  void anUnstableKStillWinsWhenNoStableKComesClose() {
    // k=5 is unstable, but every stable k is more than 0.05 below its silhouette: the silhouette decides.
    double[] silhouettes = {Double.NaN, 0.40, 0.45, 0.41, 0.60, 0.42, 0.30, 0.28};
    double[] stabilities = {1.0, 0.95, 0.92, 0.90, 0.45, 0.70, 0.60, 0.55};
    KSelection.Choice choice = KSelection.choose(withStability(silhouettes, stabilities), RULES);
    assertEquals(5, choice.k());
    assertTrue(choice.reason().contains("stability 0.45, below 0.80, but no stable k has a silhouette within 0.05"),
        "an unstable winner is not called stable: " + choice.reason());
  }

  @Test
  void stabilityThresholdsComeFromTheRules() {
    double[] silhouettes = {Double.NaN, 0.40, 0.57, 0.41, 0.60, 0.42, 0.30, 0.28};
    double[] stabilities = {1.0, 0.95, 0.92, 0.90, 0.45, 0.70, 0.60, 0.55};
    assertEquals(5, KSelection.choose(withStability(silhouettes, stabilities),
        new KSelection.Rules(0.01, 0.4, 0.05, 0)).k(), "0.45 counts as stable above a 0.4 threshold");
    assertEquals(5, KSelection.choose(withStability(silhouettes, stabilities),
        new KSelection.Rules(0.01, 0.8, 0.02, 0)).k(), "k=3 is 0.03 below: not similar within a 0.02 margin");
  }

  @Test
  void rejectsARepeatedK() {
    assertThrows(IllegalArgumentException.class,
        () -> KSelection.choose(
            List.of(new KScore(3, 1, 0.1, Double.NaN, Double.NaN), new KScore(3, 2, 0.2, Double.NaN, Double.NaN)), RULES));
  }

  private static List<KScore> withSmallest(double[] silhouettes, double[] smallestShares) {
    List<KScore> out = new ArrayList<>();
    for (int i = 0; i < KS.length; i++) {
      out.add(new KScore(KS[i], COSTS[i], silhouettes[i], Double.NaN, smallestShares[i]));
    }
    return out;
  }

  @Test
  void aKWhoseSmallestSegmentIsBelowTheMinimumShareIsNotChosen() {
    // k=5 has the best silhouette, but one of its segments holds 1 % of the customers.
    double[] silhouettes = {Double.NaN, 0.40, 0.50, 0.41, 0.60, 0.42, 0.30, 0.28};
    double[] smallest = {1.0, 0.40, 0.20, 0.10, 0.01, 0.02, 0.01, 0.01};
    Choice choice = KSelection.choose(withSmallest(silhouettes, smallest), RULES);
    assertEquals(3, choice.k());
    assertTrue(choice.table().get(4).reason().startsWith("smallest segment holds 1.0 % of the customers, below the"
        + " minimum share 3.0 %"), choice.table().get(4).reason());
    assertTrue(choice.reason().contains("preferred to k=5 (silhouette 0.60, smallest segment 1.0 %)"),
        choice.reason());
    assertEquals(5, KSelection.choose(withSmallest(silhouettes, smallest), new KSelection.Rules(0.01, 0.8, 0.05, 0))
        .k(), "no minimum: the silhouette decides");
  }

  @Test
  void whenEveryKHasASmallSegmentTheSizeRuleRulesNoneOutAndTheReasonSaysSo() {
    double[] silhouettes = {Double.NaN, 0.40, 0.50, 0.41, 0.60, 0.42, 0.30, 0.28};
    double[] smallest = {0.01, 0.02, 0.02, 0.01, 0.01, 0.02, 0.01, 0.01};
    Choice choice = KSelection.choose(withSmallest(silhouettes, smallest), RULES);
    assertEquals(5, choice.k());
    assertTrue(choice.reason().contains("its smallest segment holds 1.0 % of the customers, below the minimum share"
        + " 3.0 %, as every k's does"), choice.reason());
  }

  @Test
  void aFixedKWithASmallSegmentIsKeptAndEachSmallSegmentIsNamedWithItsShare() {
    Choice fixed = KSelection.choose(List.of(new KScore(4, 100, 0.3, Double.NaN, 0.012)), RULES);
    assertEquals(4, fixed.k());
    assertTrue(fixed.reason().contains("its smallest segment holds 1.2 %"), fixed.reason());
    List<SegmentProfile> profiles = List.of(
        new SegmentProfile(3, 960, 0.96, 0.9, List.of(), List.of()),
        new SegmentProfile(7, 28, 0.028, 0.05, List.of(), List.of()),
        new SegmentProfile(9, 12, 0.012, 0.05, List.of(), List.of()));
    List<String> warnings = KSelection.smallSegmentWarnings(profiles, 0.03);
    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("segment 7 holds 2.8 % of the customers (28), below"
        + " analysis.min_segment_share 3.0 %"), warnings.get(0));
    assertTrue(warnings.get(1).startsWith("segment 9 holds 1.2 %"), warnings.get(1));
    assertEquals(List.of(), KSelection.smallSegmentWarnings(profiles, 0.01));
  }
}
