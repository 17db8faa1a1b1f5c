package dev.segments.analysis;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.mean;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;

import dev.segments.cluster.Prototype;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Per-segment profiles of customers (see {@link SegmentProfile}).
 *
 * <p>Medians are exact (Spark's {@code median}: the middle value, or the mean of the two middle values for an even
 * count; it holds a segment's distinct values in memory, which is fine for millions of customers). Standard
 * deviations are population ones. Revenue shares treat a null revenue as 0 and are 0 when the total revenue is 0.
 * Each categorical feature reports its {@value #TOP_VALUES} most common values per segment, ties by value.
 */
public final class SegmentProfiles {
  private SegmentProfiles() {}

  public static final int TOP_VALUES = 3;

  /**
   * One row per segment (see {@link #table}) and the same profiles as records, by segment id.
   *
   * @param valueCounts per categorical feature (in order), the customers of every segment with each value: what
   *     FAMD's levels are read from
   * @param borderlineShares per segment id, the share of its customers flagged borderline; empty when no flag column
   *     was given
   */
  public record Result(Dataset<Row> table, List<SegmentProfile> profiles, List<Map<String, Long>> valueCounts,
      Map<Integer, Double> borderlineShares) {
    public Result {
      profiles = List.copyOf(profiles);
      valueCounts = valueCounts.stream().map(Map::copyOf).toList();
      borderlineShares = Map.copyOf(borderlineShares);
    }
  }

  /** As {@link #compute(Dataset, String, List, List, String, String)} without a borderline flag. */
  public static Result compute(Dataset<Row> customers, String segmentCol, List<String> numericCols,
      List<String> categoricalCols, String revenueCol) {
    return compute(customers, segmentCol, numericCols, categoricalCols, revenueCol, null);
  }

  /**
   * @param customers one row per customer, numeric features in original units
   * @param segmentCol integer segment id
   * @param revenueCol each customer's revenue (e.g. total premium)
   * @param borderlineCol a boolean column whose share of true per segment is counted with the segment's other
   *     figures (no extra job), or null
   */
  public static Result compute(Dataset<Row> customers, String segmentCol, List<String> numericCols,
      List<String> categoricalCols, String revenueCol, String borderlineCol) {
    return compute(customers, CustomerTotals.of(customers, numericCols, revenueCol), segmentCol, numericCols,
        categoricalCols, revenueCol, borderlineCol);
  }

  /**
   * As {@link #compute(Dataset, String, List, List, String, String)}, with the totals of {@code customers} already
   * known.
   */
  public static Result compute(Dataset<Row> customers, CustomerTotals overall, String segmentCol,
      List<String> numericCols, List<String> categoricalCols, String revenueCol, String borderlineCol) {
    int p = numericCols.size();
    Column revenue = col(revenueCol).cast("double");
    long total = overall.customers();
    double totalRevenue = overall.revenue();
    double[] overallMeans = overall.means();
    double[] overallStds = overall.stds();

    List<Column> segmentStats = new ArrayList<>();
    segmentStats.add(sum(revenue));
    for (String f : numericCols) {
      segmentStats.add(mean(col(f)));
      segmentStats.add(median(col(f).cast("double")));
    }
    if (borderlineCol != null) {
      segmentStats.add(mean(col(borderlineCol).cast("double")));
    }
    // A handful of rows, put in segment order on the driver: a sort in Spark would add a sampling job.
    List<Row> segments = new ArrayList<>(customers.groupBy(col(segmentCol).cast("int").as("segment"))
        .agg(count(lit(1)), segmentStats.toArray(Column[]::new))
        .collectAsList());

    Map<Integer, Long> segmentSizes = new HashMap<>();
    for (Row s : segments) {
      if (s.isNullAt(0)) {
        throw new IllegalArgumentException("segment column " + segmentCol + " holds nulls");
      }
      segmentSizes.put(s.getInt(0), s.getLong(1));
    }
    segments.sort(Comparator.comparingInt(s -> s.getInt(0)));
    List<Map<String, Long>> population = new ArrayList<>();
    List<Map<Integer, List<SegmentProfile.CategoryShare>>> tops =
        topValues(customers, segmentCol, categoricalCols, segmentSizes, total, population);

    List<SegmentProfile> profiles = new ArrayList<>();
    Map<Integer, Double> borderlineShares = new HashMap<>();
    for (Row s : segments) {
      int segment = s.getInt(0);
      long size = s.getLong(1);
      double segmentRevenue = s.isNullAt(2) ? 0 : s.getDouble(2);
      List<SegmentProfile.Numeric> numeric = new ArrayList<>();
      for (int f = 0; f < p; f++) {
        double segmentMean = s.getDouble(3 + 2 * f);
        double overallMean = overallMeans[f];
        double overallStd = overallStds[f];
        double z = overallStd > 0 ? (segmentMean - overallMean) / overallStd : 0;
        numeric.add(new SegmentProfile.Numeric(numericCols.get(f), segmentMean, s.getDouble(4 + 2 * f), z));
      }
      List<SegmentProfile.Categorical> categorical = new ArrayList<>();
      for (int c = 0; c < categoricalCols.size(); c++) {
        categorical.add(new SegmentProfile.Categorical(categoricalCols.get(c), tops.get(c).get(segment)));
      }
      profiles.add(new SegmentProfile(segment, size, (double) size / total,
          totalRevenue != 0 ? segmentRevenue / totalRevenue : 0, numeric, categorical));
      if (borderlineCol != null) {
        borderlineShares.put(segment, s.isNullAt(3 + 2 * p) ? 0 : s.getDouble(3 + 2 * p));
      }
    }
    return new Result(table(customers.sparkSession(), profiles), profiles, population, borderlineShares);
  }

  /**
   * The profiles as a table: segment_id, size, share, revenue_share, then {@code <f>_mean}, {@code <f>_median},
   * {@code <f>_z} per numeric feature, then {@code <c>_mode} and {@code <c>_top} per categorical feature (see
   * {@link SegmentProfile.Categorical#summary()}).
   */
  static Dataset<Row> table(SparkSession spark, List<SegmentProfile> profiles) {
    StructType schema = new StructType()
        .add(StableSegmentIds.SEGMENT_ID, DataTypes.IntegerType, false)
        .add("size", DataTypes.LongType, false)
        .add("share", DataTypes.DoubleType, false)
        .add("revenue_share", DataTypes.DoubleType, false);
    if (!profiles.isEmpty()) {
      for (SegmentProfile.Numeric n : profiles.get(0).numeric()) {
        schema = schema.add(n.feature() + "_mean", DataTypes.DoubleType, false)
            .add(n.feature() + "_median", DataTypes.DoubleType, false)
            .add(n.feature() + "_z", DataTypes.DoubleType, false);
      }
      for (SegmentProfile.Categorical c : profiles.get(0).categorical()) {
        schema = schema.add(c.feature() + "_mode", DataTypes.StringType, false)
            .add(c.feature() + "_top", DataTypes.StringType, false);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (SegmentProfile profile : profiles) {
      List<Object> values = new ArrayList<>(List.of(
          profile.segmentId(), profile.size(), profile.share(), profile.revenueShare()));
      for (SegmentProfile.Numeric n : profile.numeric()) {
        values.addAll(List.of(n.mean(), n.median(), n.z()));
      }
      for (SegmentProfile.Categorical c : profile.categorical()) {
        values.add(c.mode());
        values.add(c.summary());
      }
      rows.add(RowFactory.create(values.toArray()));
    }
    return spark.createDataFrame(rows, schema);
  }

  /**
   * The prototypes of a run read back from its profile table ({@code segment_id}, {@code <f>_mean},
   * {@code <c>_mode}), by segment id: what {@link StableSegmentIds} compares the next run with.
   */
  public static Map<Integer, Prototype> prototypes(Dataset<Row> table, List<String> numericCols,
      List<String> categoricalCols) {
    List<Column> columns = new ArrayList<>();
    columns.add(col(StableSegmentIds.SEGMENT_ID).cast("int"));
    numericCols.forEach(f -> columns.add(col(f + "_mean").cast("double")));
    categoricalCols.forEach(c -> columns.add(col(c + "_mode").cast("string")));
    Map<Integer, Prototype> prototypes = new HashMap<>();
    for (Row r : table.select(columns.toArray(Column[]::new)).collectAsList()) {
      double[] centre = new double[numericCols.size()];
      for (int f = 0; f < centre.length; f++) {
        centre[f] = r.getDouble(1 + f);
      }
      String[] modes = new String[categoricalCols.size()];
      for (int c = 0; c < modes.length; c++) {
        modes[c] = r.getString(1 + centre.length + c);
      }
      prototypes.put(r.getInt(0), new Prototype(centre, modes));
    }
    return prototypes;
  }

  /**
   * Per categorical feature (in order) and segment, the most common values with their segment and population
   * shares. One job counts (segment, feature, value) for all features together; the counts are small (segments ×
   * distinct values) and ranked on the driver. The population counts per feature are added to {@code population}.
   */
  private static List<Map<Integer, List<SegmentProfile.CategoryShare>>> topValues(Dataset<Row> customers,
      String segmentCol, List<String> features, Map<Integer, Long> segmentSizes, long total,
      List<Map<String, Long>> population) {
    List<Map<Integer, List<SegmentProfile.CategoryShare>>> tops = new ArrayList<>();
    if (features.isEmpty()) {
      return tops;
    }
    Column[] cells = new Column[features.size()];
    for (int f = 0; f < cells.length; f++) {
      cells[f] = struct(lit(f).as("feature"), col(features.get(f)).cast("string").as("value"));
    }
    List<Row> counts = customers
        .select(col(segmentCol).cast("int").as("segment"), explode(array(cells)).as("cell"))
        .groupBy(col("segment"), col("cell.feature").as("feature"), col("cell.value").as("value"))
        .count()
        .collectAsList();
    List<Map<Integer, List<Row>>> bySegment = new ArrayList<>();
    for (String feature : features) {
      population.add(new HashMap<>());
      bySegment.add(new HashMap<>());
    }
    for (Row r : counts) {
      int f = r.getInt(1);
      if (r.isNullAt(2)) {
        throw new IllegalArgumentException("categorical feature " + features.get(f) + " holds nulls");
      }
      population.get(f).merge(r.getString(2), r.getLong(3), Long::sum);
      bySegment.get(f).computeIfAbsent(r.getInt(0), s -> new ArrayList<>()).add(r);
    }
    Comparator<Row> mostCommonFirst = Comparator.<Row>comparingLong(r -> r.getLong(3)).reversed()
        .thenComparing(r -> r.getString(2));
    for (int f = 0; f < features.size(); f++) {
      Map<Integer, List<SegmentProfile.CategoryShare>> top = new HashMap<>();
      for (Map.Entry<Integer, List<Row>> segment : bySegment.get(f).entrySet()) {
        long size = segmentSizes.get(segment.getKey());
        Map<String, Long> populationCounts = population.get(f);
        top.put(segment.getKey(), segment.getValue().stream().sorted(mostCommonFirst).limit(TOP_VALUES)
            .map(r -> new SegmentProfile.CategoryShare(r.getString(2), (double) r.getLong(3) / size,
                (double) populationCounts.get(r.getString(2)) / total))
            .toList());
      }
      tops.add(top);
    }
    return tops;
  }
}
