package dev.segments.features;

import dev.segments.features.FeatureSource.CustomerColumn;
import dev.segments.features.FeatureSource.Favourite;
import dev.segments.features.FeatureSource.SalesCount;
import dev.segments.features.FeatureSource.SalesStatistic;
import dev.segments.features.FeatureSource.Share;
import dev.segments.features.FeatureSource.Statistic;

/**
 * How a feature's missing value is filled. Sales that did not happen add up to nothing, so counts, sums and shares
 * are 0; a mean, minimum, maximum or a number of days has no natural zero, so it takes the typical customer's
 * value (the median over the customers that have one) rather than pulling the customer towards an extreme.
 */
enum MissingValueRule {
  /** Counts, sums and shares of a customer without sales (or without values in the summed column). */
  ZERO,
  /** The exact median (halfway between the two middle values for an even count) of the customers with a value. */
  MEDIAN,
  /** A categorical customer column left blank. */
  UNKNOWN,
  /** A favourite: {@code "none"} for a customer without sales, {@code "unknown"} when the bought products lack the attribute. */
  NONE_WITHOUT_SALES;

  static final String UNKNOWN_VALUE = "unknown";
  static final String NO_SALES_VALUE = "none";

  static MissingValueRule of(Feature feature) {
    FeatureSource source = feature.source();
    if (source instanceof CustomerColumn) {
      return feature.kind() == FeatureKind.NUMERIC ? MEDIAN : UNKNOWN;
    }
    if (source instanceof SalesCount || source instanceof Share) {
      return ZERO;
    }
    if (source instanceof SalesStatistic s) {
      return s.statistic() == Statistic.SUM ? ZERO : MEDIAN;
    }
    if (source instanceof Favourite) {
      return NONE_WITHOUT_SALES;
    }
    return MEDIAN;
  }
}
