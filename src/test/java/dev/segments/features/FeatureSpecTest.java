package dev.segments.features;

import static dev.segments.features.Feature.categorical;
import static dev.segments.features.Feature.numeric;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class FeatureSpecTest {

  private static final DataContract INSURER = DataContract.defaultLayout();

  /** The default spec as a user writes it in config; the README shows this text. */
  static final String DEFAULT_SPEC_YAML = """
      features:
        - {name: age, kind: numeric, column: Age}
        - {name: income, kind: numeric, column: Income}
        - {name: policies, kind: numeric, aggregate: count}
        - {name: total_premium, kind: numeric, aggregate: sum, of: Premium}
        - {name: mean_premium, kind: numeric, aggregate: mean, of: Premium}
        - {name: premium_to_coverage, kind: numeric, aggregate: mean, ratio: [Premium, Coverage], scale: 100}
        - {name: recency_days, kind: numeric, date: recency}
        - {name: tenure_days, kind: numeric, date: tenure}
        - {name: gender, kind: categorical, column: Gender}
        - {name: marital_status, kind: categorical, column: Marital_Status}
        - {name: city, kind: categorical, column: City}
        - {name: education, kind: categorical, column: Education}
        - {name: preferred_channel, kind: categorical, column: Preferred_Channel}
        - {name: favourite_product_type, kind: categorical, favourite: Product_Type}
        - {name: favourite_category, kind: categorical, favourite: Category}
      """;

  @Test
  void documentedYamlIsTheDefaultSpec() {
    assertEquals(FeatureSpec.defaultSpec(), FeatureSpec.fromYaml(DEFAULT_SPEC_YAML));
  }

  @Test
  void defaultSpecFitsTheDefaultLayout() {
    FeatureSpec spec = FeatureSpec.defaultSpec().validateAgainst(INSURER);
    assertEquals(List.of("age", "income", "policies", "total_premium", "mean_premium", "premium_to_coverage",
        "recency_days", "tenure_days"), spec.names(FeatureKind.NUMERIC));
    assertTrue(spec.names(FeatureKind.CATEGORICAL).contains("marital_status"));
  }

  @Test
  void yamlRoundTripsToAnEqualSpec() {
    FeatureSpec unusual = new FeatureSpec(List.of(
        numeric("min_rate", SalesStatistic.ratio(Statistic.MIN, "Premium", "Coverage", 0.5)),
        numeric("max_coverage", SalesStatistic.of(Statistic.MAX, "Coverage")),
        numeric("numbered_share", new Share("Category", "1")),
        numeric("life_share", new Share("Product_Type", "Life")),
        numeric("recency_days", new PurchaseDays(DateMeasure.RECENCY))));
    for (FeatureSpec spec : List.of(FeatureSpec.defaultSpec(), FeatureSpec.inferFrom(INSURER), unusual)) {
      String yaml = spec.toYaml();
      assertEquals(spec, FeatureSpec.fromYaml(yaml), yaml);
      assertEquals(spec, FeatureSpec.fromEntries(spec.toEntries()));
    }
  }

  @Test
  void yamlIgnoresTheRestOfAConfigFile() {
    String config = "as_of: 2025-12-15\nfeatures:\n  - {name: policies, kind: numeric, aggregate: count}\nk: 3\n";
    assertEquals(new FeatureSpec(List.of(numeric("policies", new SalesCount()))), FeatureSpec.fromYaml(config));
  }

  @Test
  void inferredSpecForTheDefaultLayoutIsValidAndComplete() {
    FeatureSpec spec = FeatureSpec.inferFrom(INSURER).validateAgainst(INSURER);
    assertEquals(List.of("age", "income", "sales_count", "total_premium", "mean_premium", "recency_days",
        "tenure_days"), spec.names(FeatureKind.NUMERIC));
    assertEquals(List.of("gender", "city", "marital_status", "education", "occupation", "preferred_language",
        "preferred_channel", "preferred_time", "favourite_product_type", "favourite_category"),
        spec.names(FeatureKind.CATEGORICAL));
    assertEquals(new Feature("total_premium", FeatureKind.NUMERIC, SalesStatistic.of(Statistic.SUM, "Premium")),
        spec.features().get(3));
  }

  @Test
  void unknownColumnNamesTheFeatureAndTheColumn() {
    assertRejected(List.of("'height'", "'Height'", "customers"),
        numeric("height", new CustomerColumn("Height")));
    assertRejected(List.of("'discount'", "'Discount'", "sales"),
        numeric("discount", SalesStatistic.ratio(Statistic.MEAN, "Premium", "Discount", 1)));
    assertRejected(List.of("'favourite_colour'", "'Colour'", "products"),
        categorical("favourite_colour", new Favourite("Colour")));
  }

  @Test
  void personalDataIsNeverAFeature() {
    assertRejected(List.of("'email'", "'Email'", "personal data"), categorical("email", new CustomerColumn("Email")));
    assertRejected(List.of("'phone'", "personal data"), categorical("phone", new CustomerColumn("phone")));
  }

  @Test
  void columnTypeMustFitTheKind() {
    assertRejected(List.of("'age_group'", "'Age'", "integer", "categorical feature needs a category column"),
        categorical("age_group", new CustomerColumn("Age")));
    assertRejected(List.of("'gender'", "'Gender'", "numeric feature needs a number column"),
        numeric("gender", new CustomerColumn("Gender")));
    assertRejected(List.of("'premium_by_type'", "'Product_ID'", "string", "number column"),
        numeric("premium_by_type", SalesStatistic.of(Statistic.SUM, "Product_ID")));
    assertRejected(List.of("'favourite_name'", "'Product_Name'", "label"),
        categorical("favourite_name", new Favourite("Product_Name")));
    assertRejected(List.of("'customer'", "customer key"), categorical("customer", new CustomerColumn("Customer_ID")));
  }

  @Test
  void kindMustFitTheSource() {
    assertMessage(List.of("'policies'", "numeric, not categorical"),
        () -> categorical("policies", new SalesCount()));
    assertMessage(List.of("'favourite_type'", "categorical, not numeric"),
        () -> numeric("favourite_type", new Favourite("Product_Type")));
  }

  @Test
  void namesMustBeUniqueWarehouseColumnNames() {
    assertMessage(List.of("'total premium'"), () -> numeric("total premium", new SalesCount()));
    assertMessage(List.of("'has_sales'", "reserved"), () -> numeric("has_sales", new SalesCount()));
    assertMessage(List.of("'Policies'", "twice"), () -> new FeatureSpec(List.of(
        numeric("policies", new SalesCount()), numeric("Policies", new SalesCount()))));
  }

  @Test
  void badYamlEntriesAreReportedWithTheFeatureName() {
    assertMessage(List.of("'a'", "exactly one source", "column", "favourite"),
        () -> fromEntry(Map.of("name", "a", "kind", "categorical", "column", "Gender", "favourite", "Category")));
    assertMessage(List.of("'b'", "unknown keys [colum]"),
        () -> fromEntry(Map.of("name", "b", "kind", "categorical", "colum", "Gender")));
    assertMessage(List.of("'c'", "'value'"), () -> fromEntry(Map.of("name", "c", "kind", "numeric",
        "share", "Product_Type")));
    assertMessage(List.of("'d'", "'of'", "'aggregate'", "'date'"), () -> fromEntry(Map.of("name", "d", "kind",
        "numeric", "date", "recency", "of", "Premium")));
    assertMessage(List.of("'e'", "median", "sum, mean, min, max"), () -> fromEntry(Map.of("name", "e", "kind",
        "numeric", "aggregate", "median", "of", "Premium")));
    assertMessage(List.of("'f'", "two sales columns"), () -> fromEntry(Map.of("name", "f", "kind", "numeric",
        "aggregate", "mean", "ratio", List.of("Premium"))));
    assertMessage(List.of("'g'", "'kind'"), () -> fromEntry(Map.of("name", "g", "column", "Age")));
    assertMessage(List.of("'features' list"), () -> FeatureSpec.fromYaml("feature:\n  - {name: a}\n"));
  }

  private static void fromEntry(Map<String, ?> entry) {
    List<Map<String, ?>> entries = new ArrayList<>();
    entries.add(entry);
    FeatureSpec.fromEntries(entries);
  }

  private static void assertRejected(List<String> expectedInMessage, Feature feature) {
    FeatureSpec spec = new FeatureSpec(List.of(feature));
    assertMessage(expectedInMessage, () -> spec.validateAgainst(INSURER));
  }

  private static void assertMessage(List<String> expectedInMessage, Executable action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
    for (String part : expectedInMessage) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
    }
  }
}
