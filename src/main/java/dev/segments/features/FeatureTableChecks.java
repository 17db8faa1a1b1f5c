package dev.segments.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;

import dev.segments.contract.ContractException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
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
   * What the checks read of a feature table: its number of customers and each categorical feature's number of
   * distinct values.
   */
  public record Summary(long customers, Map<String, Long> levels) {
    public Summary {
      levels = Map.copyOf(levels);
    }
  }

  /** The summary of {@code rows}, whose {@code categorical} columns hold no nulls, in one aggregation (one job). */
  public static Summary summarise(Dataset<Row> rows, List<String> categorical) {
    List<Column> aggregates = new ArrayList<>();
    categorical.forEach(c -> aggregates.add(size(collect_set(col(c)))));
    Row counts = rows.agg(count(lit(1)), aggregates.toArray(Column[]::new)).first();
    Map<String, Long> levels = new LinkedHashMap<>();
    for (int i = 0; i < categorical.size(); i++) {
      levels.put(categorical.get(i), (long) counts.getInt(1 + i));
    }
    return new Summary(counts.getLong(0), levels);
  }

  /**
   * The table without the categorical features that have more than {@code maxLevels} distinct values, or more than
   * {@code maxLevelShare} of the number of customers: a city per customer groups nobody, and every distinct value
   * costs memory in every prototype. Each one left out is named in a warning; the other features are kept.
   *
   * @param summary the table's {@link #summarise summary}
   * @throws ContractException when no feature would be left
   */
  public static FeatureTable withoutManyLevelFeatures(FeatureTable table, Summary summary, int maxLevels,
      double maxLevelShare) {
    List<String> categorical = table.categoricalFeatures();
    if (categorical.isEmpty()) {
      return table;
    }
    long customers = summary.customers();
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < categorical.size(); i++) {
      long distinct = summary.levels().get(categorical.get(i));
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
   * distinct feature rows (every customer alike). Customers that differ in one categorical feature differ, so when
   * one has {@code needed} values no query is run; else the distinct rows are counted.
   *
   * @param summary the table's {@link #summarise summary}
   * @throws ContractException naming how many customers and distinct ones there are
   */
  public static void requireDistinctCustomers(FeatureTable table, Summary summary, int needed) {
    long customers = summary.customers();
    if (customers >= needed && table.categoricalFeatures().stream().anyMatch(c -> summary.levels().get(c) >= needed)) {
      return;
    }
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
