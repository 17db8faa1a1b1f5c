package dev.segments.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.corr;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;

import dev.segments.contract.ContractException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
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
   * What the checks read of a feature table: its number of customers, each categorical feature's number of distinct
   * values, and the Pearson correlation of each pair of numeric features (empty when not computed).
   *
   * @param correlations keyed by the pair, the earlier feature of the table's order first
   */
  public record Summary(long customers, Map<String, Long> levels, Map<List<String>, Double> correlations) {
    public Summary {
      levels = Map.copyOf(levels);
      correlations = Map.copyOf(correlations);
    }
  }

  /**
   * The summary of {@code rows}, whose {@code categorical} columns hold no nulls, with the correlations of the
   * {@code numeric} pairs, in one aggregation (one job); with {@code maxCorrelation} 1 no correlation is computed.
   */
  public static Summary summarise(Dataset<Row> rows, List<String> numeric, List<String> categorical,
      double maxCorrelation) {
    List<Column> aggregates = new ArrayList<>();
    categorical.forEach(c -> aggregates.add(size(collect_set(col(c)))));
    List<List<String>> pairs = new ArrayList<>();
    if (maxCorrelation < 1) {
      for (int j = 1; j < numeric.size(); j++) {
        for (int i = 0; i < j; i++) {
          pairs.add(List.of(numeric.get(i), numeric.get(j)));
          aggregates.add(corr(col(numeric.get(i)).cast("double"), col(numeric.get(j)).cast("double")));
        }
      }
    }
    Row stats = rows.agg(count(lit(1)), aggregates.toArray(Column[]::new)).first();
    Map<String, Long> levels = new LinkedHashMap<>();
    for (int i = 0; i < categorical.size(); i++) {
      levels.put(categorical.get(i), (long) stats.getInt(1 + i));
    }
    Map<List<String>, Double> correlations = new LinkedHashMap<>();
    for (int p = 0; p < pairs.size(); p++) {
      int at = 1 + categorical.size() + p;
      correlations.put(pairs.get(p), stats.isNullAt(at) ? Double.NaN : stats.getDouble(at));
    }
    return new Summary(stats.getLong(0), levels, correlations);
  }

  /** The summary of a whole feature table, as {@link #checked} reads it. */
  public static Summary summarise(FeatureTable table, double maxCorrelation) {
    return summarise(table.rows(), table.numericFeatures(), table.categoricalFeatures(), maxCorrelation);
  }

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

  /**
   * The table without the categorical features that have more than {@code maxLevels} distinct values, or more than
   * {@code maxLevelShare} of the number of customers: a city per customer groups nobody, and every distinct value
   * costs memory in every prototype. Each one left out is named in a warning; the other features are kept.
   *
   * <p>Besides, of two numeric features whose correlation over the customers (|Pearson r|) is above {@code
   * maxCorrelation}, the later in the table's order is left out of the clustering (a warning names both): they say
   * one thing, which would count twice in the distance. It stays in the table, so profiles and outputs keep it. A
   * feature is compared only with the earlier features the clustering keeps; a constant feature correlates with none.
   * Both checks read the summary, one aggregation (one Spark job) made with the table's materialisation.
   *
   * @param summary the table's {@link #summarise summary}, with the correlations when {@code maxCorrelation} < 1
   * @throws ContractException when no feature would be left
   */
  public static Checked checked(FeatureTable table, Summary summary, int maxLevels, double maxLevelShare,
      double maxCorrelation) {
    List<String> categorical = table.categoricalFeatures();
    long customers = summary.customers();
    List<Correlated> correlated = maxCorrelation < 1
        ? correlated(table.numericFeatures(), summary, maxCorrelation) : List.of();
    List<String> kept = new ArrayList<>();
    for (String feature : categorical) {
      long distinct = summary.levels().get(feature);
      if (distinct > maxLevels || distinct > maxLevelShare * customers) {
        LOG.warn("categorical feature '{}' has {} distinct values for {} customers, more than clustering.max_levels"
                + " ({}) or clustering.max_level_share ({}) allows: it is left out of the clustering and the outputs",
            feature, distinct, customers, maxLevels, maxLevelShare);
      } else {
        kept.add(feature);
      }
    }
    if (kept.isEmpty() && table.numericFeatures().isEmpty()) {
      throw new ContractException("every feature has too many distinct values to segment on (see the warnings);"
          + " raise clustering.max_levels or clustering.max_level_share, or add numeric features");
    }
    return new Checked(new FeatureTable(table.rows(), table.numericFeatures(), kept, table.customerKey()),
        correlated);
  }

  /** Of each numeric feature above the threshold with an earlier one the clustering keeps, the strongest pair. */
  private static List<Correlated> correlated(List<String> numeric, Summary summary, double maxCorrelation) {
    List<Correlated> correlated = new ArrayList<>();
    List<String> leftOut = new ArrayList<>();
    for (int j = 1; j < numeric.size(); j++) {
      Correlated strongest = null;
      for (int i = 0; i < j; i++) {
        double r = summary.correlations().getOrDefault(List.of(numeric.get(i), numeric.get(j)), Double.NaN);
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
            String.format(Locale.ROOT, "%.3f", strongest.correlation()), summary.customers(), maxCorrelation,
            strongest.feature());
      }
    }
    return correlated;
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
