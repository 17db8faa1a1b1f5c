package dev.segments.features;

import static dev.segments.features.Feature.categorical;
import static dev.segments.features.Feature.numeric;

import dev.segments.features.FeatureSource.CustomerColumn;
import dev.segments.features.FeatureSource.DateMeasure;
import dev.segments.features.FeatureSource.Favourite;
import dev.segments.features.FeatureSource.PurchaseDays;
import dev.segments.features.FeatureSource.SalesCount;
import dev.segments.features.FeatureSource.SalesStatistic;
import dev.segments.features.FeatureSource.Statistic;
import dev.segments.ingest.DataContract;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The declared columns of the feature table, in output order. A spec is checked on its own when built (names,
 * kinds, shapes) and against a data contract by {@link #validateAgainst} (columns exist, have the right type, hold
 * no personal data); {@link FeatureTableBuilder} does the latter itself.
 */
public record FeatureSpec(List<Feature> features) {

  public FeatureSpec {
    features = List.copyOf(features);
    if (features.isEmpty()) {
      throw new IllegalArgumentException("a feature spec needs at least one feature");
    }
    Set<String> seen = new HashSet<>();
    for (Feature feature : features) {
      // Spark, DuckDB and BigQuery all treat column names without regard to case.
      if (!seen.add(feature.name().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("feature name '" + feature.name() + "' is used twice");
      }
    }
  }

  /**
   * The spec for the insurer's default layout: the numbers the seed project clustered on (age, income, tenure,
   * premium to coverage) plus the customer's value and activity, and the categories a marketing team acts on.
   */
  public static FeatureSpec defaultSpec() {
    return new FeatureSpec(List.of(
        numeric("age", new CustomerColumn("Age")),
        numeric("income", new CustomerColumn("Income")),
        numeric("policies", new SalesCount()),
        numeric("total_premium", SalesStatistic.of(Statistic.SUM, "Premium")),
        numeric("mean_premium", SalesStatistic.of(Statistic.MEAN, "Premium")),
        numeric("premium_to_coverage", SalesStatistic.ratio(Statistic.MEAN, "Premium", "Coverage", 100)),
        numeric("recency_days", new PurchaseDays(DateMeasure.RECENCY)),
        numeric("tenure_days", new PurchaseDays(DateMeasure.TENURE)),
        categorical("gender", new CustomerColumn("Gender")),
        categorical("marital_status", new CustomerColumn("Marital_Status")),
        categorical("city", new CustomerColumn("City")),
        categorical("education", new CustomerColumn("Education")),
        categorical("preferred_channel", new CustomerColumn("Preferred_Channel")),
        categorical("favourite_product_type", new Favourite("Product_Type")),
        categorical("favourite_category", new Favourite("Category"))));
  }

  /**
   * Proposes a spec for any layout from the contract alone: every number column of the customers sheet, every
   * category column of it, the count of sales, the sum and mean of the sales amount, recency and tenure, and the
   * favourite value of every category column of the products sheet.
   */
  public static FeatureSpec inferFrom(DataContract contract) {
    return FeatureSpecInference.infer(contract, column -> true);
  }

  /**
   * As {@link #inferFrom(DataContract)}, but keeps only the customers' category columns that have between 2 and
   * {@value FeatureSpecInference#MAX_CATEGORY_VALUES} distinct values in {@code customers} (the typed customers
   * table): one value tells nothing apart, and a near-unique one (a free-text field) only adds noise.
   */
  public static FeatureSpec inferFrom(DataContract contract, Dataset<Row> customers) {
    return FeatureSpecInference.infer(contract, FeatureSpecInference.sensibleCategories(contract, customers));
  }

  /**
   * Reads the {@code features:} list of a YAML document; other top-level keys are ignored, so a whole config file
   * may be passed. See {@link #toYaml()} for the form.
   */
  public static FeatureSpec fromYaml(String yaml) {
    return FeatureSpecYaml.read(yaml);
  }

  /** Reads a spec from the entries of a {@code features:} list as a YAML or JSON parser returns them. */
  public static FeatureSpec fromEntries(List<? extends Map<String, ?>> entries) {
    return FeatureSpecYaml.fromEntries(entries);
  }

  /**
   * The spec as a YAML document with one key, {@code features}, that {@link #fromYaml} reads back to an equal spec.
   * Each entry has {@code name}, {@code kind} ({@code numeric} or {@code categorical}) and exactly one source key:
   * {@code column: Age}; {@code aggregate: count}; {@code aggregate: sum|mean|min|max} with {@code of: Premium} or
   * {@code ratio: [Premium, Coverage]} and optionally {@code scale: 100}; {@code date: recency|tenure};
   * {@code favourite: Product_Type}; {@code share: Product_Type} with {@code value: Life}.
   */
  public String toYaml() {
    return FeatureSpecYaml.write(this);
  }

  /** The entries of the {@code features:} list, as {@link #fromEntries} reads them. */
  public List<Map<String, Object>> toEntries() {
    return FeatureSpecYaml.toEntries(this);
  }

  /**
   * Checks the spec against a contract.
   *
   * @return this spec
   * @throws IllegalArgumentException naming the feature and the column: a column missing from its sheet, a
   *     personal-data column, a column whose type does not fit the feature's kind or source
   */
  public FeatureSpec validateAgainst(DataContract contract) {
    features.forEach(feature -> FeatureContractCheck.check(feature, contract));
    return this;
  }

  /** Names of the features of one kind, in spec order. */
  public List<String> names(FeatureKind kind) {
    return features.stream().filter(f -> f.kind() == kind).map(Feature::name).toList();
  }
}
