package dev.segments.pipeline;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.segments.analysis.StableSegmentIds;
import dev.segments.config.AlertSettings.Alert;
import dev.segments.config.AlertSettings;
import dev.segments.features.FeatureTable;
import dev.segments.report.NightChange;
import dev.segments.report.NightChanges;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What changed since the previous published night (README, "What changed overnight"), and the gate that stops a
 * night whose change breaches an alert in {@code alerts.block_on}. Three Spark jobs over what the run already
 * holds: the segment moves (tonight's customers joined to last night's), last night's deciles, and every feature's
 * bin counts for both nights in one aggregation; the rest is last night's model_runs rows on the driver.
 *
 * <p>The population stability index of a feature is {@code PSI = sum_i (a_i - e_i) * ln(a_i / e_i)}, where
 * {@code e_i} is last night's share of customers in bin {@code i} and {@code a_i} tonight's. A numeric feature's bins
 * are cut at last night's deciles (ties merged; a missing value is a bin of its own), a categorical feature's bins
 * are its levels (missing included). A bin empty on one night would make the logarithm infinite, so a share below
 * {@link #PSI_EPSILON} counts as {@link #PSI_EPSILON}. Identical distributions give 0; 0.1 to 0.25 is usually read as
 * a moderate shift and above 0.25 as a significant one.
 */
final class OvernightChanges {
  /** The share an empty bin counts as in the PSI. */
  static final double PSI_EPSILON = 1e-4;
  private static final int PSI_BINS = 10;
  private static final String MISSING = "<missing>";
  private static final String FROM = "_from";
  private static final String TO = "_to";

  /** The columns of night_changes after run_date and run_id. */
  static final StructType SCHEMA = new StructType()
      .add("previous_run_date", DataTypes.DateType, true)
      .add("kind", DataTypes.StringType, false)
      .add("subject", DataTypes.StringType, false)
      .add("metric", DataTypes.StringType, false)
      .add("previous", DataTypes.DoubleType, true)
      .add("current", DataTypes.DoubleType, true)
      .add("change", DataTypes.DoubleType, true)
      .add("alert", DataTypes.StringType, true);

  /**
   * Tonight's figures.
   *
   * @param customers one row per customer with customer_id, segment_id and the features
   * @param silhouette null when not measured
   */
  record Tonight(Dataset<Row> customers, List<String> numeric, List<String> categorical, long rowsRead,
      long rowsQuarantined, int k, double cost, Double silhouette) {}

  /**
   * Last night, as published.
   *
   * @param customers last night's customer_segments rows; empty on the first night
   * @param runs model_runs rows of the previous nights (any order); empty on the first night
   */
  record Before(Optional<Dataset<Row>> customers, List<Row> runs) {
    Optional<Row> latestRun() {
      return runs.stream().max((a, b) -> date(a).compareTo(date(b)));
    }
  }

  private OvernightChanges() {}

  static NightChanges compute(Tonight tonight, Before before, AlertSettings alerts) {
    LocalDate previousDate = before.latestRun().map(OvernightChanges::date).orElse(null);
    List<NightChange> rows = new ArrayList<>(segmentRows(tonight, before.customers()));
    rows.addAll(featureRows(tonight, before.customers()));
    rows.addAll(quarantineRows(tonight, before.runs(), alerts));
    rows.addAll(modelRows(tonight, before.latestRun()));
    return new NightChanges(previousDate, rows.stream().map(row -> flagged(row, alerts)).toList());
  }

  /**
   * Stops the night when a figure breaches an alert that {@code alerts.block_on} lists; logs nothing (the caller
   * logs the whole comparison).
   *
   * @throws NightBlockedException naming each blocking figure and its threshold
   */
  static void requireNotBlocked(NightChanges changes, AlertSettings alerts, LocalDate runDate) {
    List<String> blocking = changes.breaches().stream()
        .filter(row -> alerts.blocks(Alert.valueOf(row.alert().toUpperCase(Locale.ROOT))))
        .map(row -> describe(row, alerts)).toList();
    if (!blocking.isEmpty()) {
      throw new NightBlockedException("the night of " + runDate + " breaches " + String.join("; ", blocking)
          + (changes.previousRunDate() == null ? " (the first night)" : " against the night of "
              + changes.previousRunDate()) + ", and alerts.block_on " + alerts.blockOn()
          + " lists it: nothing was published and the previous outputs are unchanged. Check the sheets; to publish"
          + " the night anyway, run it again with --set 'alerts.block_on=[]'");
    }
  }

  /** A breach with its figure and threshold, for the log, the gate's message and {@code segment status}. */
  static String describe(NightChange row, AlertSettings alerts) {
    String where = row.subject().equals(NightChanges.ALL) ? "" : " of " + row.kind() + " " + row.subject();
    Alert alert = Alert.valueOf(row.alert().toUpperCase(Locale.ROOT));
    String comparison = alert == Alert.MIN_SEGMENT_SHARE ? " < " : " > ";
    return row.alert() + ": " + row.metric() + where + " " + figure(row.current()) + comparison
        + figure(threshold(alert, alerts));
  }

  /** The night's figures as night_changes rows (before run_date and run_id are stamped). */
  static Dataset<Row> toDataset(NightChanges changes, SparkSession spark) {
    java.sql.Date previous = changes.previousRunDate() == null ? null
        : java.sql.Date.valueOf(changes.previousRunDate());
    List<Row> rows = changes.rows().stream().map(r -> RowFactory.create(previous, r.kind(), r.subject(), r.metric(),
        r.previous(), r.current(), r.change(), r.alert())).toList();
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** One block for the log: the comparison in a few lines. */
  static String logBlock(NightChanges changes, AlertSettings alerts) {
    StringBuilder out = new StringBuilder("what changed since ")
        .append(changes.previousRunDate() == null ? "the previous night: nothing to compare, this is the first night"
            : "the night of " + changes.previousRunDate() + ":");
    changes.find(NightChanges.SEGMENT, NightChanges.ALL, "moved_share").ifPresent(moved -> out
        .append("\n  customers: ").append(count(changes, "returning")).append(" returning, ")
        .append(count(changes, "moved")).append(" moved segment (").append(figure(moved.current()))
        .append("), ").append(count(changes, "new")).append(" new, ").append(count(changes, "gone")).append(" gone"));
    for (NightChange size : changes.ofKind(NightChanges.SEGMENT)) {
      if (size.metric().equals("customers") && !size.subject().equals(NightChanges.ALL)) {
        out.append("\n  segment ").append(size.subject()).append(": ").append(figure(size.previous()))
            .append(" -> ").append(figure(size.current())).append(" customers");
      }
    }
    changes.ofKind(NightChanges.FEATURE).stream()
        .filter(psi -> psi.current() != null)
        .max((a, b) -> Double.compare(a.current(), b.current()))
        .ifPresent(psi -> out.append("\n  largest feature shift: ").append(psi.subject()).append(" PSI ")
            .append(figure(psi.current())));
    changes.find(NightChanges.QUARANTINE, NightChanges.ALL, "rate").ifPresent(rate -> out
        .append("\n  quarantine rate ").append(figure(rate.current())).append(" (median of previous nights ")
        .append(figure(rate.previous())).append(')'));
    for (NightChange breach : changes.breaches()) {
      out.append("\n  ").append(alerts.blocks(Alert.valueOf(breach.alert().toUpperCase(Locale.ROOT)))
          ? "BLOCKS " : "WARNING ").append(describe(breach, alerts));
    }
    return out.toString();
  }

  private static String count(NightChanges changes, String metric) {
    return changes.find(NightChanges.SEGMENT, NightChanges.ALL, metric).map(r -> figure(r.current())).orElse("?");
  }

  /** A figure as the log, the gate's message and {@code segment status} write it: whole, or 4 significant digits. */
  static String figure(Double value) {
    if (value == null) {
      return "n/a";
    }
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf(value.longValue())
        : new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  private static double threshold(Alert alert, AlertSettings alerts) {
    return switch (alert) {
      case MOVED_SHARE -> alerts.maxMovedShare();
      case PSI -> alerts.maxPsi();
      case QUARANTINE_JUMP -> alerts.maxQuarantineJump();
      case MIN_SEGMENT_SHARE -> alerts.minSegmentShare();
    };
  }

  private static NightChange flagged(NightChange row, AlertSettings alerts) {
    Double value = row.current();
    if (value == null) {
      return row;
    }
    String key = row.kind() + "/" + (row.subject().equals(NightChanges.ALL) ? NightChanges.ALL : "*") + "/"
        + row.metric();
    Alert breached = switch (key) {
      case "segment/all/moved_share" -> value > alerts.maxMovedShare() ? Alert.MOVED_SHARE : null;
      case "feature/*/psi" -> value > alerts.maxPsi() ? Alert.PSI : null;
      case "quarantine/all/jump" -> value > alerts.maxQuarantineJump() ? Alert.QUARANTINE_JUMP : null;
      case "segment/*/share" -> value > 0 && value < alerts.minSegmentShare() ? Alert.MIN_SEGMENT_SHARE : null;
      default -> null;
    };
    return breached == null ? row : row.breaching(breached.key());
  }

  /**
   * Per segment: customers last night and tonight, their shares, customers moved in and out among those in both
   * nights, new and gone customers; and the same over all customers with the share of returning customers that
   * moved. One job: a full outer join of the two nights' (customer, segment) pairs, counted by pair.
   */
  private static List<NightChange> segmentRows(Tonight tonight, Optional<Dataset<Row>> previous) {
    Dataset<Row> now = tonight.customers().select(col(FeatureTable.CUSTOMER_ID).cast("string").as("_now_id"),
        col(StableSegmentIds.SEGMENT_ID).cast("long").as(TO));
    Dataset<Row> pairs = previous
        .map(before -> before.select(col(FeatureTable.CUSTOMER_ID).cast("string").as("_before_id"),
                col(StableSegmentIds.SEGMENT_ID).cast("long").as(FROM))
            .join(now, col("_before_id").equalTo(col("_now_id")), "full_outer"))
        .orElseGet(() -> now.withColumn(FROM, lit(null).cast("long")));
    Map<List<Long>, Long> moves = new HashMap<>();
    for (Row row : pairs.groupBy(FROM, TO).count().collectAsList()) {
      moves.put(Arrays.asList(row.isNullAt(0) ? null : row.getLong(0), row.isNullAt(1) ? null : row.getLong(1)),
          row.getLong(2));
    }
    boolean first = previous.isEmpty();
    TreeSet<Long> segments = new TreeSet<>();
    moves.keySet().forEach(pair -> pair.stream().filter(id -> id != null).forEach(segments::add));
    long totalBefore = sum(moves, (from, to) -> from != null);
    long totalNow = sum(moves, (from, to) -> to != null);
    List<NightChange> rows = new ArrayList<>();
    for (long id : segments) {
      String subject = Long.toString(id);
      long before = sum(moves, (from, to) -> from != null && from == id);
      long after = sum(moves, (from, to) -> to != null && to == id);
      rows.add(NightChange.of(NightChanges.SEGMENT, subject, "customers", first ? null : (double) before,
          (double) after));
      rows.add(NightChange.of(NightChanges.SEGMENT, subject, "share",
          first || totalBefore == 0 ? null : (double) before / totalBefore, totalNow == 0 ? null
              : (double) after / totalNow));
      rows.add(tonightOnly(NightChanges.SEGMENT, subject, "moved_in", first,
          sum(moves, (from, to) -> to != null && to == id && from != null && from != id)));
      rows.add(tonightOnly(NightChanges.SEGMENT, subject, "moved_out", first,
          sum(moves, (from, to) -> from != null && from == id && to != null && to != id)));
      rows.add(tonightOnly(NightChanges.SEGMENT, subject, "new", first,
          sum(moves, (from, to) -> from == null && to != null && to == id)));
      rows.add(tonightOnly(NightChanges.SEGMENT, subject, "gone", first,
          sum(moves, (from, to) -> to == null && from != null && from == id)));
    }
    long returning = sum(moves, (from, to) -> from != null && to != null);
    long moved = sum(moves, (from, to) -> from != null && to != null && !from.equals(to));
    String all = NightChanges.ALL;
    rows.add(NightChange.of(NightChanges.SEGMENT, all, "customers", first ? null : (double) totalBefore,
        (double) totalNow));
    rows.add(tonightOnly(NightChanges.SEGMENT, all, "returning", first, returning));
    rows.add(tonightOnly(NightChanges.SEGMENT, all, "moved", first, moved));
    rows.add(NightChange.of(NightChanges.SEGMENT, all, "moved_share", null,
        first || returning == 0 ? null : (double) moved / returning));
    rows.add(tonightOnly(NightChanges.SEGMENT, all, "new", first, sum(moves, (from, to) -> from == null)));
    rows.add(tonightOnly(NightChanges.SEGMENT, all, "gone", first, sum(moves, (from, to) -> to == null)));
    return rows;
  }

  private interface PairFilter {
    boolean test(Long from, Long to);
  }

  private static long sum(Map<List<Long>, Long> moves, PairFilter filter) {
    return moves.entrySet().stream().filter(e -> filter.test(e.getKey().get(0), e.getKey().get(1)))
        .mapToLong(Map.Entry::getValue).sum();
  }

  /** A count only tonight has, unknown (null) on the first night. */
  private static NightChange tonightOnly(String kind, String subject, String metric, boolean first, long value) {
    return NightChange.of(kind, subject, metric, null, first ? null : (double) value);
  }

  /**
   * Each feature's PSI between last night and tonight; null for a feature last night did not have, and for every
   * feature on the first night. Two jobs: last night's deciles, then both nights' bin counts in one aggregation.
   */
  private static List<NightChange> featureRows(Tonight tonight, Optional<Dataset<Row>> previous) {
    List<String> before = previous.map(p -> List.of(p.columns())).orElse(List.of());
    List<String> numeric = tonight.numeric().stream().filter(before::contains).toList();
    List<String> categorical = tonight.categorical().stream().filter(before::contains).toList();
    Map<String, Double> psi = new HashMap<>();
    if (previous.isPresent() && !(numeric.isEmpty() && categorical.isEmpty())) {
      Dataset<Row> last = previous.get();
      double[] probabilities = new double[PSI_BINS - 1];
      for (int i = 1; i < PSI_BINS; i++) {
        probabilities[i - 1] = (double) i / PSI_BINS;
      }
      Dataset<Row> lastNumbers = last.select(numeric.stream().map(f -> col(f).cast("double").as(f))
          .toArray(Column[]::new));
      double[][] deciles = numeric.isEmpty() ? new double[0][]
          : lastNumbers.stat().approxQuantile(numeric.toArray(String[]::new), probabilities, 0.001);
      List<Column> bins = new ArrayList<>();
      for (int i = 0; i < numeric.size(); i++) {
        bins.add(struct(lit(numeric.get(i)).as("feature"), numericBin(numeric.get(i), deciles[i]).as("bin")));
      }
      for (String feature : categorical) {
        bins.add(struct(lit(feature).as("feature"), coalesce(col(feature).cast("string"), lit(MISSING)).as("bin")));
      }
      Column binArray = array(bins.toArray(Column[]::new)).as("_bins");
      Dataset<Row> counts = last.select(lit(0).as("_night"), binArray)
          .union(tonight.customers().select(lit(1).as("_night"), binArray))
          .select(col("_night"), explode(col("_bins")).as("_bin"))
          .groupBy(col("_night"), col("_bin.feature"), col("_bin.bin")).count();
      Map<String, Map<String, long[]>> byFeature = new LinkedHashMap<>();
      for (Row row : counts.collectAsList()) {
        byFeature.computeIfAbsent(row.getString(1), f -> new HashMap<>())
            .computeIfAbsent(row.getString(2), b -> new long[2])[row.getInt(0)] += row.getLong(3);
      }
      byFeature.forEach((feature, binCounts) -> psi.put(feature, psi(binCounts.values())));
    }
    List<NightChange> rows = new ArrayList<>();
    for (String feature : concat(tonight.numeric(), tonight.categorical())) {
      rows.add(NightChange.of(NightChanges.FEATURE, feature, "psi", null, psi.get(feature)));
    }
    return rows;
  }

  /** The bin of a numeric value: how many of the cut points it exceeds; a missing value has a bin of its own. */
  private static Column numericBin(String feature, double[] deciles) {
    double[] cuts = Arrays.stream(deciles).distinct().sorted().toArray();
    Column above = lit(0);
    for (double cut : cuts) {
      above = above.plus(when(col(feature).cast("double").gt(cut), 1).otherwise(0));
    }
    return when(col(feature).isNull(), lit(MISSING)).otherwise(above.cast("string"));
  }

  /** PSI over bins given as {last night's count, tonight's count}. */
  static double psi(Iterable<long[]> bins) {
    long before = 0;
    long now = 0;
    for (long[] bin : bins) {
      before += bin[0];
      now += bin[1];
    }
    double psi = 0;
    for (long[] bin : bins) {
      double expected = Math.max((double) bin[0] / Math.max(before, 1), PSI_EPSILON);
      double actual = Math.max((double) bin[1] / Math.max(now, 1), PSI_EPSILON);
      psi += (actual - expected) * Math.log(actual / expected);
    }
    return psi;
  }

  /**
   * Tonight's quarantine rate (rows quarantined over rows read) against the median rate of the previous nights,
   * and the jump: tonight's rate over that median, the median taken as at least {@code alerts.quarantine_rate_floor}.
   */
  private static List<NightChange> quarantineRows(Tonight tonight, List<Row> runs, AlertSettings alerts) {
    double rate = tonight.rowsRead() == 0 ? 0 : (double) tonight.rowsQuarantined() / tonight.rowsRead();
    double[] rates = runs.stream().filter(r -> number(r, "rows_read") != null && number(r, "rows_read") > 0)
        .mapToDouble(r -> number(r, "rows_quarantined") / number(r, "rows_read")).sorted().toArray();
    Double median = rates.length == 0 ? null : rates.length % 2 == 1 ? rates[rates.length / 2]
        : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
    return List.of(
        NightChange.of(NightChanges.QUARANTINE, NightChanges.ALL, "rate", median, rate),
        NightChange.of(NightChanges.QUARANTINE, NightChanges.ALL, "jump", null,
            median == null ? null : rate / Math.max(median, alerts.quarantineRateFloor())));
  }

  /** Tonight's k, cost and silhouette against last night's model_runs row. */
  private static List<NightChange> modelRows(Tonight tonight, Optional<Row> last) {
    return List.of(
        NightChange.of(NightChanges.MODEL, NightChanges.ALL, "k", last.map(r -> number(r, "k")).orElse(null),
            (double) tonight.k()),
        NightChange.of(NightChanges.MODEL, NightChanges.ALL, "cost", last.map(r -> number(r, "cost")).orElse(null),
            tonight.cost()),
        NightChange.of(NightChanges.MODEL, NightChanges.ALL, "silhouette",
            last.map(r -> number(r, "silhouette")).orElse(null), tonight.silhouette()));
  }

  private static Double number(Row row, String column) {
    Object value = row.getAs(column);
    return value == null ? null : ((Number) value).doubleValue();
  }

  private static LocalDate date(Row row) {
    return LocalDate.parse(row.getAs(dev.segments.sink.OutputTable.RUN_DATE).toString());
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
