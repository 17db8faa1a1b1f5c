package dev.segments.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentNamerTest {
  private static final List<String> FEATURES = List.of("age", "income", "tenure_days", "widget_score");

  private static SegmentProfile profile(int id, long size, double[] z, SegmentProfile.CategoryShare... product) {
    List<SegmentProfile.Numeric> numeric = new ArrayList<>();
    for (int f = 0; f < z.length; f++) {
      numeric.add(new SegmentProfile.Numeric(FEATURES.get(f), 0, 0, z[f]));
    }
    return new SegmentProfile(id, size, 0, 0, numeric,
        List.of(new SegmentProfile.Categorical("product_type", List.of(product))));
  }

  private static SegmentProfile.CategoryShare value(String v, double share, double populationShare) {
    return new SegmentProfile.CategoryShare(v, share, populationShare);
  }

  @Test
  void plantedExtremesBecomeTheirWords() {
    Map<Integer, String> names = SegmentNamer.names(List.of(
        profile(1, 100, new double[] {1.2, 0.8, 0.1, 0}, value("Life", 0.60, 0.30)),
        profile(2, 90, new double[] {-1.0, 0.2, -0.9, 0}, value("Auto", 0.45, 0.40)),  // lift 1.125: no trait
        profile(3, 80, new double[] {0.3, -0.2, 0.1, -2.0}, value("Health", 0.35, 0.10)),  // share 35 %: none
        profile(4, 70, new double[] {0.1, 0.4, -0.2, 0.0}, value("unknown", 0.9, 0.2)),
        profile(5, 60, new double[] {0.0, -0.6, 0.7, 0.0}, value("Property", 0.5, 0.2)),
        profile(6, 50, new double[] {0.0, 0.1, 0.2, 0.0}, value("eBike", 0.5, 0.2))));
    assertEquals("Older · high income · Life policies", names.get(1));
    assertEquals("Younger · new customers", names.get(2));
    assertEquals("Low widget score", names.get(3));
    assertEquals("Mainstream", names.get(4));
    // tenure |0.7| ranks before income |0.6|; Property lift 2.5 beats nothing else.
    assertEquals("Long tenure · low income · Property policies", names.get(5));
    assertEquals("eBike policies", names.get(6));  // a category value keeps its own spelling
  }

  @Test
  void clashingNamesAreMadeUniqueLargestSegmentFirst() {
    Map<Integer, String> names = SegmentNamer.names(List.of(
        profile(7, 10, new double[] {1.4, 0.9, -0.6, 0}, value("Life", 0.3, 0.3)),
        profile(8, 30, new double[] {1.5, 1.0, 0.1, 0}, value("Life", 0.3, 0.3)),
        profile(9, 20, new double[] {1.6, 0.7, 0.0, 0.1}, value("Life", 0.3, 0.3))));
    assertEquals("Older · high income", names.get(8));  // largest keeps the plain name
    assertEquals("Older · high income (2)", names.get(9));  // next trait 0.1 does not stand out: not a trait
    assertEquals("Older · high income · new customers", names.get(7));  // tenure -0.6 stands out and tells it apart
    assertEquals(3, new HashSet<>(names.values()).size());
  }

  @Test
  void namesDoNotDependOnInputOrder() {
    List<SegmentProfile> profiles = new ArrayList<>(List.of(
        profile(1, 50, new double[] {1, 1, 0, 0}, value("Life", 0.5, 0.2)),
        profile(2, 50, new double[] {1, 1, 0, 0}, value("Life", 0.5, 0.2))));
    Map<Integer, String> forward = SegmentNamer.names(profiles);
    Collections.reverse(profiles);
    assertEquals(forward, SegmentNamer.names(profiles));
    assertEquals("Older · high income · Life policies", forward.get(1));  // equal sizes: lower id first
    assertEquals("Older · high income · Life policies (2)", forward.get(2));
  }

  @Test
  void aPhraseIsNeverRepeatedAndEveryPhraseCarriesItsFigure() {
    // The users' sheets gave "Low premium · low premium · Text": total and mean premium both low.
    List<SegmentProfile.Numeric> numeric = List.of(
        new SegmentProfile.Numeric("total_premium", 410, 380, -0.9),
        new SegmentProfile.Numeric("mean_premium", 205, 190, -0.8),
        new SegmentProfile.Numeric("premium_to_coverage", 1.9, 1.8, 0.6),
        new SegmentProfile.Numeric("age", 40, 40, 0.1));
    SegmentProfile profile = new SegmentProfile(1, 100, 0.5, 0.2, numeric, List.of(new SegmentProfile.Categorical(
        "preferred_channel", List.of(value("Text", 0.55, 0.25), value("Email", 0.3, 0.4)))));
    SegmentNamer.SegmentName name = SegmentNamer.explain(List.of(profile)).get(1);
    // mean_premium's "low premium" is dropped; the ratio gets its own words, not "high premium".
    assertEquals("Low premium · high premium to coverage · channel: Text", name.name());
    assertEquals(3, name.traits().size());
    String hover = name.explanation();
    assertTrue(hover.contains("total_premium: mean 410, 0.9 SD below everyone's"), hover);
    assertTrue(hover.contains("preferred_channel = Text for 55% of the segment, 25% of everyone (2.2×)"), hover);
    assertTrue(SegmentNamer.explain(List.of(profile(2, 5, new double[] {0.2, 0.1, 0, 0}, value("Life", 0.3, 0.3))))
        .get(2).explanation().startsWith("no feature stands out"));
  }

  /**
   * The users' sheets once gave "Long tenure · lapsed · Married" and "Low premium · low income · Text": "lapsed" means
   * an unpaid policy to an insurer, and "Text" alone does not say it is a contact channel.
   */
  @Test
  void phrasesSayWhatTheyMeasureAndNameTheFeatureWhereTheValueAloneDoesNot() {
    assertEquals("channel: Text", SegmentNamer.valuePhrase("preferred_channel", "Text"));
    assertEquals("contact time: Evening", SegmentNamer.valuePhrase("Preferred_Time", "Evening"));
    assertEquals("language: Welsh", SegmentNamer.valuePhrase("preferred_language", "Welsh"));
    assertEquals("Married", SegmentNamer.valuePhrase("marital_status", "Married"));
    assertEquals("Life policies", SegmentNamer.valuePhrase("favourite_product_type", "Life"));
    assertEquals("city: Leeds", SegmentNamer.valuePhrase("city", "Leeds"));
    List<SegmentProfile.Numeric> numeric = List.of(new SegmentProfile.Numeric("recency_days", 4800, 4700, 1.4),
        new SegmentProfile.Numeric("age", 40, 40, 0.1));
    SegmentProfile longAgo = new SegmentProfile(1, 100, 0.5, 0.2, numeric, List.of(new SegmentProfile.Categorical(
        "marital_status", List.of(value("Married", 0.7, 0.4)))));
    SegmentProfile recent = new SegmentProfile(2, 90, 0.4, 0.2, List.of(
        new SegmentProfile.Numeric("recency_days", 300, 280, -1.1), new SegmentProfile.Numeric("age", 40, 40, 0.1)),
        List.of(new SegmentProfile.Categorical("marital_status", List.of(value("Single", 0.3, 0.3)))));
    SegmentProfile byText = new SegmentProfile(3, 80, 0.1, 0.1, List.of(new SegmentProfile.Numeric("age", 40, 40, 0)),
        List.of(new SegmentProfile.Categorical("preferred_channel", List.of(value("Text", 0.6, 0.2)))));
    Map<Integer, String> names = SegmentNamer.names(List.of(longAgo, recent, byText));
    assertEquals("Last bought long ago · Married", names.get(1));
    assertEquals("Recent buyers", names.get(2));
    assertEquals("Channel: Text", names.get(3), "our own word leads: capitalised; the value keeps its spelling");
  }
}
