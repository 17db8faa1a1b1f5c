package dev.segments.features;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the gaps of the per-customer table by each feature's {@link MissingValueRule}. The medians and the number
 * of gaps per feature come from one aggregation over the table, which must therefore be persisted by the caller.
 */
final class Imputation {
  private static final Logger LOG = LoggerFactory.getLogger(Imputation.class);

  private Imputation() {}

  /** The table with every feature gap filled; {@code raw} has the columns of {@link FeatureTable#rows()}. */
  static Dataset<Row> fill(Dataset<Row> raw, FeatureSpec spec) {
    List<Feature> features = spec.features();
    List<Column> summary = new ArrayList<>();
    summary.add(count(lit(1)));
    summary.add(sum(when(col(FeatureTable.HAS_SALES), 1).otherwise(0)));
    for (Feature feature : features) {
      summary.add(sum(when(col(feature.name()).isNull(), 1).otherwise(0)));
      // percentile() is exact and interpolates between the two middle values, unlike approxQuantile.
      summary.add(MissingValueRule.of(feature) == MissingValueRule.MEDIAN
          ? expr("percentile(" + feature.name() + ", 0.5)") : lit(null));
    }
    Row stats = raw.agg(summary.get(0), summary.subList(1, summary.size()).toArray(Column[]::new)).first();
    long customers = stats.getLong(0);
    long withSales = stats.isNullAt(1) ? 0 : stats.getLong(1);
    LOG.info("Feature table: {} customers, {} with sales", customers, withSales);

    List<Column> filled = new ArrayList<>();
    filled.add(col(FeatureTable.CUSTOMER_ID));
    for (int i = 0; i < features.size(); i++) {
      Feature feature = features.get(i);
      MissingValueRule rule = MissingValueRule.of(feature);
      long missing = stats.isNullAt(2 + 2 * i) ? 0 : stats.getLong(2 + 2 * i);
      Column replacement = switch (rule) {
        case ZERO -> lit(0.0);
        case MEDIAN -> lit(median(stats, 3 + 2 * i, feature, missing));
        case UNKNOWN -> lit(MissingValueRule.UNKNOWN_VALUE);
        case NONE_WITHOUT_SALES -> when(col(FeatureTable.HAS_SALES), MissingValueRule.UNKNOWN_VALUE)
            .otherwise(MissingValueRule.NO_SALES_VALUE);
      };
      if (missing > 0) {
        LOG.info("Feature {}: imputed {} of {} values ({})", feature.name(), missing, customers,
            rule.name().toLowerCase(Locale.ROOT));
      }
      filled.add(coalesce(col(feature.name()), replacement).as(feature.name()));
    }
    filled.add(col(FeatureTable.HAS_SALES));
    return raw.select(filled.toArray(Column[]::new));
  }

  private static double median(Row stats, int index, Feature feature, long missing) {
    if (stats.isNullAt(index)) {
      if (missing > 0) {
        LOG.warn("Feature {} has no value for any customer; its gaps are filled with 0", feature.name());
      }
      return 0.0;
    }
    return stats.getDouble(index);
  }
}
