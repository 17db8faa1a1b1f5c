package dev.segments.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.corr;
import static org.apache.spark.sql.functions.countDistinct;

import dev.segments.contract.ContractException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a feature table must be like before it is clustered: categorical features with a handful of values each,
 * numeric features that do not repeat one another, and enough distinct customers for the segments asked for.
 */
public final class FeatureTableChecks {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureTableChecks.class);

  private FeatureTableChecks() {}

  /**
   * A numeric feature left out of the clustering because it says what an earlier one says.
   *
   * @param correlation the Pearson correlation of the two over the customers
   */
  public record Correlated(String feature, String kept, double correlation) {
    /** E.g. "tenure_days (r = 1.00 with recency_days)". */
    public String describe() {
      return String.format(Locale.ROOT, "%s (r = %.2f with %s)", feature, correlation, kept);
    }
  }

  /**
   * A checked table and the numeric features it clusters on.
   *
   * @param table the features kept in the clustering and the outputs
   * @param correlated the numeric features of {@code table} left out of the clustering only (kept in profiles and
   *     outputs), in the table's order
   */
  public record Checked(FeatureTable table, List<Correlated> correlated) {
    public Checked {
      correlated = List.copyOf(correlated);
    }

    /** The numeric features the clustering uses: the table's, without the correlated ones. */
    public List<String> clusteredNumeric() {
      List<String> left = correlated.stream().map(Correlated::feature).toList();
      return table.numericFeatures().stream().filter(f -> !left.contains(f)).toList();
    }
  }

  /** As {@link #checked} without the correlation check. */
  public static FeatureTable withoutManyLevelFeatures(FeatureTable table, long customers, int maxLevels,
      double maxLevelShare) {
    return checked(table, customers, maxLevels, maxLevelShare, 1).table();
  }

  /**
   * The table without the categorical features that have more than {@code maxLevels} distinct values, or more than
   * {@code maxLevelShare} of the number of customers: a city per customer groups nobody, and every distinct value
   * costs memory in every prototype. Each one left out is named in a warning; the other features are kept.
   *
   * <p>Besides, of two numeric features whose correlation over the customers (|Pearson r|) is above {@code
   * maxCorrelation}, the later in the table's order is left out of the clustering (a warning names both): they say
   * one thing, which would count twice in the distance. It stays in the table, so profiles and outputs keep it. A
   * feature is compared only with the earlier features the clustering keeps; a constant feature correlates with none.
   * Both checks are one aggregation (one Spark job); with {@code maxCorrelation} 1 no correlation is computed.
   *
   * @throws ContractException when no feature would be left
   */
  public static Checked checked(FeatureTable table, long customers, int maxLevels, double maxLevelShare,
      double maxCorrelation) {
    List<String> categorical = table.categoricalFeatures();
    List<String> numeric = table.numericFeatures();
    boolean correlations = maxCorrelation < 1 && numeric.size() > 1;
    if (categorical.isEmpty() && !correlations) {
      return new Checked(table, List.of());
    }
    List<Column> aggregates = new ArrayList<>();
    categorical.forEach(c -> aggregates.add(countDistinct(col(c))));
    if (correlations) {
      for (int j = 1; j < numeric.size(); j++) {
        for (int i = 0; i < j; i++) {
          aggregates.add(corr(col(numeric.get(i)).cast("double"), col(numeric.get(j)).cast("double")));
        }
      }
    }
    Row stats = table.rows().agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
        .first();
    List<Correlated> correlated = correlations
        ? correlated(numeric, stats, categorical.size(), maxCorrelation, customers) : List.of();
    if (categorical.isEmpty()) {
      return new Checked(table, correlated);
    }
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < categorical.size(); i++) {
      long distinct = stats.getLong(i);
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
    return new Checked(new FeatureTable(table.rows(), table.numericFeatures(), kept, table.customerKey()),
        correlated);
  }

  /** Reads the pairs' correlations, in the order {@link #checked} aggregated them from {@code offset} on. */
  private static List<Correlated> correlated(List<String> numeric, Row stats, int offset, double maxCorrelation,
      long customers) {
    List<Correlated> correlated = new ArrayList<>();
    List<String> leftOut = new ArrayList<>();
    int at = offset;
    for (int j = 1; j < numeric.size(); j++) {
      Correlated strongest = null;
      for (int i = 0; i < j; i++, at++) {
        double r = stats.isNullAt(at) ? Double.NaN : stats.getDouble(at);
        if (!leftOut.contains(numeric.get(i)) && Math.abs(r) > maxCorrelation
            && (strongest == null || Math.abs(r) > Math.abs(strongest.correlation()))) {
          strongest = new Correlated(numeric.get(j), numeric.get(i), r);
        }
      }
      if (strongest != null) {
        leftOut.add(strongest.feature());
        correlated.add(strongest);
        LOG.warn("numeric features '{}' and '{}' say one thing: correlation {} over {} customers, above"
                + " clustering.max_correlation ({}); '{}' is left out of the clustering (kept in the profiles and"
                + " customer_segments)", strongest.kept(), strongest.feature(),
            String.format(Locale.ROOT, "%.3f", strongest.correlation()), customers, maxCorrelation,
            strongest.feature());
      }
    }
    return correlated;
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
