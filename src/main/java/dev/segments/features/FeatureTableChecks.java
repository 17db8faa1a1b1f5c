package dev.segments.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;

import dev.segments.contract.ContractException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a feature table must be like before it is clustered: categorical features with a handful of values each, and
 * enough distinct customers for the segments asked for.
 */
public final class FeatureTableChecks {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureTableChecks.class);

  private FeatureTableChecks() {}

  /**
   * The table without the categorical features that have more than {@code maxLevels} distinct values, or more than
   * {@code maxLevelShare} of the number of customers: a city per customer groups nobody, and every distinct value
   * costs memory in every prototype. Each one left out is named in a warning; the other features are kept.
   *
   * @throws ContractException when no feature would be left
   */
  public static FeatureTable withoutManyLevelFeatures(FeatureTable table, long customers, int maxLevels,
      double maxLevelShare) {
    List<String> categorical = table.categoricalFeatures();
    if (categorical.isEmpty()) {
      return table;
    }
    Column[] levels = categorical.stream().map(c -> countDistinct(col(c))).toArray(Column[]::new);
    Row counts = table.rows().agg(levels[0], java.util.Arrays.copyOfRange(levels, 1, levels.length)).first();
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < categorical.size(); i++) {
      long distinct = counts.getLong(i);
      if (distinct > maxLevels || distinct > maxLevelShare * customers) {
        LOG.warn("categorical feature '{}' has {} distinct values for {} customers, more than clustering.max_levels"
                + " ({}) or clustering.max_level_share ({}) allows: it is left out of the clustering and the outputs",
            categorical.get(i), distinct, customers, maxLevels, maxLevelShare);
      } else {
        kept.add(categorical.get(i));
      }
    }
    if (kept.isEmpty() && table.numericFeatures().isEmpty()) {
      throw new ContractException("every feature has too many distinct values to segment on (see the warnings);"
          + " raise clustering.max_levels or clustering.max_level_share, or add numeric features");
    }
    return new FeatureTable(table.rows(), table.numericFeatures(), kept, table.customerKey());
  }

  /**
   * Stops a run whose customers cannot be split into {@code needed} segments: fewer customers than that, or fewer
   * distinct feature rows (every customer alike).
   *
   * @throws ContractException naming how many customers and distinct ones there are
   */
  public static void requireDistinctCustomers(FeatureTable table, long customers, int needed) {
    List<String> features = new ArrayList<>(table.numericFeatures());
    features.addAll(table.categoricalFeatures());
    long distinct = table.rows().select(features.stream().map(c -> col(c)).toArray(Column[]::new)).distinct()
        .limit(needed).count();
    if (distinct < needed) {
      throw new ContractException("the input has " + customers + " customer" + (customers == 1 ? "" : "s")
          + (customers > distinct ? " but only " + distinct + " distinct in their features" : "") + "; " + needed
          + " segments need at least " + needed + " customers that differ (clustering.k_min or k)");
    }
  }
}
