package dev.segments.features;

import static org.apache.spark.sql.functions.countDistinct;

import dev.segments.features.FeatureSource.CustomerColumn;
import dev.segments.features.FeatureSource.DateMeasure;
import dev.segments.features.FeatureSource.Favourite;
import dev.segments.features.FeatureSource.PurchaseDays;
import dev.segments.features.FeatureSource.SalesCount;
import dev.segments.features.FeatureSource.SalesStatistic;
import dev.segments.features.FeatureSource.Statistic;
import dev.segments.ingest.ColumnRule;
import dev.segments.ingest.ColumnType;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.SheetContract;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Proposes a feature spec for a layout the project has not seen, for a user to review and paste into config. */
final class FeatureSpecInference {
  private FeatureSpecInference() {}

  /** More distinct values than this and a customer column is more an identifier than a segment trait. */
  static final int MAX_CATEGORY_VALUES = 50;

  static FeatureSpec infer(DataContract contract, Predicate<String> keepCategoryColumn) {
    FeatureNames names = new FeatureNames();
    List<Feature> features = new ArrayList<>();
    SheetContract customers = contract.customers();
    for (ColumnRule rule : featureColumns(contract, customers)) {
      if (rule.type() == ColumnType.INTEGER || rule.type() == ColumnType.DECIMAL) {
        features.add(Feature.numeric(names.claim(rule.name()), new CustomerColumn(rule.name())));
      }
    }
    String amount = contract.salesAmount();
    features.add(Feature.numeric(names.claim(contract.sales().name() + "_count"), new SalesCount()));
    features.add(Feature.numeric(names.claim("total_" + amount), SalesStatistic.of(Statistic.SUM, amount)));
    features.add(Feature.numeric(names.claim("mean_" + amount), SalesStatistic.of(Statistic.MEAN, amount)));
    features.add(Feature.numeric(names.claim("recency_days"), new PurchaseDays(DateMeasure.RECENCY)));
    features.add(Feature.numeric(names.claim("tenure_days"), new PurchaseDays(DateMeasure.TENURE)));
    for (ColumnRule rule : featureColumns(contract, customers)) {
      if (rule.type() == ColumnType.CATEGORY && keepCategoryColumn.test(rule.name())) {
        features.add(Feature.categorical(names.claim(rule.name()), new CustomerColumn(rule.name())));
      }
    }
    for (ColumnRule rule : featureColumns(contract, contract.products())) {
      if (rule.type() == ColumnType.CATEGORY) {
        features.add(Feature.categorical(names.claim("favourite_" + rule.name()), new Favourite(rule.name())));
      }
    }
    return new FeatureSpec(features).validateAgainst(contract);
  }

  /** The category columns of the customers table with a number of distinct values fit for segments. */
  static Predicate<String> sensibleCategories(DataContract contract, Dataset<Row> customers) {
    List<String> categories = featureColumns(contract, contract.customers()).stream()
        .filter(rule -> rule.type() == ColumnType.CATEGORY).map(ColumnRule::name).toList();
    if (categories.isEmpty()) {
      return column -> false;
    }
    Column[] distinct = categories.stream().map(c -> countDistinct(ContractColumns.column(c))).toArray(Column[]::new);
    Row counts = customers.agg(distinct[0], Arrays.copyOfRange(distinct, 1, distinct.length)).first();
    Set<String> kept = new HashSet<>();
    for (int i = 0; i < categories.size(); i++) {
      long values = counts.getLong(i);
      if (values >= 2 && values <= MAX_CATEGORY_VALUES) {
        kept.add(categories.get(i));
      }
    }
    return kept::contains;
  }

  private static List<ColumnRule> featureColumns(DataContract contract, SheetContract sheet) {
    return sheet.columns().stream()
        .filter(rule -> !rule.name().equals(sheet.key()))
        .filter(rule -> contract.personalColumns().stream().noneMatch(p -> p.equalsIgnoreCase(rule.name())))
        .toList();
  }

  /** Turns column names into unique feature names: lower case, underscores, nothing a warehouse would reject. */
  private static final class FeatureNames {
    private final Set<String> taken = new HashSet<>();

    String claim(String text) {
      String base = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
      if (base.isEmpty() || Character.isDigit(base.charAt(0))) {
        base = "f_" + base;
      }
      String name = base;
      for (int n = 2; !taken.add(name) || Feature.RESERVED_NAMES.contains(name); n++) {
        name = base + "_" + n;
      }
      return name;
    }
  }
}
