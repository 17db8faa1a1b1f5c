package dev.segments.features;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One column of the feature table.
 *
 * @param name the column name in the feature table and in every output: letters, digits and underscores, starting
 *     with a letter or underscore (valid in Spark, Parquet, DuckDB and BigQuery alike)
 * @param kind numeric features are doubles, categorical ones strings
 * @param source where the value comes from
 */
public record Feature(String name, FeatureKind kind, FeatureSource source) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** Columns the feature table always has besides the features. */
  static final Set<String> RESERVED_NAMES = Set.of(FeatureTable.CUSTOMER_ID, FeatureTable.HAS_SALES);

  public Feature {
    Objects.requireNonNull(kind, "kind of feature " + name);
    Objects.requireNonNull(source, "source of feature " + name);
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("feature name '" + name
          + "' must be letters, digits and underscores, starting with a letter or underscore");
    }
    if (RESERVED_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("feature name '" + name + "' is reserved for the feature table's own column");
    }
    source.impliedKind().filter(implied -> implied != kind).ifPresent(implied -> {
      throw new IllegalArgumentException("feature '" + name + "': a " + sourceLabel(source) + " is "
          + implied.name().toLowerCase(Locale.ROOT) + ", not " + kind.name().toLowerCase(Locale.ROOT));
    });
  }

  public static Feature numeric(String name, FeatureSource source) {
    return new Feature(name, FeatureKind.NUMERIC, source);
  }

  public static Feature categorical(String name, FeatureSource source) {
    return new Feature(name, FeatureKind.CATEGORICAL, source);
  }

  private static String sourceLabel(FeatureSource source) {
    if (source instanceof FeatureSource.SalesCount || source instanceof FeatureSource.SalesStatistic) {
      return "sales aggregate";
    }
    if (source instanceof FeatureSource.PurchaseDays) {
      return "date measure";
    }
    if (source instanceof FeatureSource.Favourite) {
      return "favourite";
    }
    return "share";
  }
}
