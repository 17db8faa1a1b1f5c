package dev.segments.analysis;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What each segment holds more of than everyone: for each product attribute (product type, category) and value, the
 * share of the segment's customers holding at least one such product, the share among all customers, and their
 * ratio, the lift. A segment's offers are the values of one attribute whose lift and share pass the floors, best
 * lift first; a customer's next best product is the first offer of their segment they do not hold, or none.
 */
public final class ProductAffinity {
  public static final String ATTRIBUTE = "attribute";
  public static final String VALUE = "value";
  public static final String SEGMENT_ID = "segment_id";
  public static final String HOLDERS_IN_SEGMENT = "holders_in_segment";
  public static final String SHARE_IN_SEGMENT = "share_in_segment";
  public static final String SHARE_OVERALL = "share_overall";
  public static final String LIFT = "lift";

  /** The table's columns, one row per segment and attribute value held by anyone. */
  public static final StructType SCHEMA = new StructType()
      .add(ATTRIBUTE, DataTypes.StringType, false)
      .add(VALUE, DataTypes.StringType, false)
      .add(SEGMENT_ID, DataTypes.IntegerType, false)
      .add(HOLDERS_IN_SEGMENT, DataTypes.LongType, false)
      .add(SHARE_IN_SEGMENT, DataTypes.DoubleType, false)
      .add(SHARE_OVERALL, DataTypes.DoubleType, false)
      .add(LIFT, DataTypes.DoubleType, false);

  /**
   * One segment's holding of one attribute value.
   *
   * @param shareInSegment holders in the segment / customers in the segment
   * @param shareOverall holders among everyone / all customers
   * @param lift shareInSegment / shareOverall
   */
  public record Holding(String attribute, String value, int segmentId, long holdersInSegment, double shareInSegment,
      double shareOverall, double lift) {}

  private ProductAffinity() {}

  /**
   * Counts the holders in one aggregation over the sales lines (one Spark job) and brings the small result to the
   * driver.
   *
   * @param sales one row per sales line with {@code customerCol}, {@code segmentCol} and each attribute column; a
   *     line whose attribute is null counts for no value of it
   * @param attributes the attribute columns of {@code sales}, named as the table's {@code attribute} says
   * @param segmentSizes customers per segment id, those without sales included
   * @param customers all customers
   */
  public static List<Holding> compute(Dataset<Row> sales, String customerCol, String segmentCol,
      List<String> attributes, Map<Integer, Long> segmentSizes, long customers) {
    if (attributes.isEmpty() || customers == 0) {
      return List.of();
    }
    Column[] pairs = attributes.stream()
        .map(a -> functions.struct(lit(a).as(ATTRIBUTE), col(a).cast(DataTypes.StringType).as(VALUE)))
        .toArray(Column[]::new);
    List<Row> counts = sales
        .select(col(customerCol).as("_customer"), col(segmentCol).as("_segment"),
            functions.explode(functions.array(pairs)).as("_held"))
        .where(col("_held." + VALUE).isNotNull().and(col("_segment").isNotNull()))
        .groupBy(col("_held." + ATTRIBUTE).as(ATTRIBUTE), col("_held." + VALUE).as(VALUE), col("_segment"))
        .agg(countDistinct(col("_customer")).as("_holders"))
        .collectAsList();
    // A customer is in one segment, so the holders of a value overall are the sum over the segments.
    Map<List<String>, Long> overall = new LinkedHashMap<>();
    for (Row count : counts) {
      overall.merge(List.of(count.getString(0), count.getString(1)), count.getLong(3), Long::sum);
    }
    List<Holding> rows = new ArrayList<>();
    for (Row count : counts) {
      int segment = ((Number) count.get(2)).intValue();
      long size = segmentSizes.getOrDefault(segment, 0L);
      if (size == 0) {
        continue;
      }
      long holders = count.getLong(3);
      double inSegment = (double) holders / size;
      double everyone = (double) overall.get(List.of(count.getString(0), count.getString(1))) / customers;
      rows.add(new Holding(count.getString(0), count.getString(1), segment, holders, inSegment, everyone,
          inSegment / everyone));
    }
    rows.sort(Comparator.comparing(Holding::attribute).thenComparingInt(Holding::segmentId)
        .thenComparing(Comparator.comparingDouble(Holding::lift).reversed()).thenComparing(Holding::value));
    return rows;
  }

  /** The rows as a table with {@link #SCHEMA}. */
  public static Dataset<Row> table(SparkSession spark, List<Holding> rows) {
    return spark.createDataFrame(rows.stream()
        .map(r -> RowFactory.create(r.attribute(), r.value(), r.segmentId(), r.holdersInSegment(),
            r.shareInSegment(), r.shareOverall(), r.lift()))
        .toList(), SCHEMA);
  }

  /**
   * Per segment, the values of {@code attribute} worth offering: lift at least {@code minLift} and share in the
   * segment at least {@code minShare}, highest lift first (then the larger share, then the value, so ties resolve
   * the same way every night). A segment with none is absent.
   */
  public static Map<Integer, List<String>> offers(List<Holding> rows, String attribute, double minLift,
      double minShare) {
    Map<Integer, List<String>> offers = new LinkedHashMap<>();
    rows.stream()
        .filter(r -> r.attribute().equals(attribute) && r.lift() >= minLift && r.shareInSegment() >= minShare)
        .sorted(Comparator.comparingInt(Holding::segmentId)
            .thenComparing(Comparator.comparingDouble(Holding::lift).reversed())
            .thenComparing(Comparator.comparingDouble(Holding::shareInSegment).reversed())
            .thenComparing(Holding::value))
        .forEach(r -> offers.computeIfAbsent(r.segmentId(), s -> new ArrayList<>()).add(r.value()));
    return offers;
  }

  /**
   * The customer's next best product as a column: the first of their segment's offers that {@code held} (an array of
   * the values they hold; null for a customer without sales) does not contain; null when they hold every offer or
   * their segment has none.
   */
  public static Column nextBest(Column segmentId, Column held, Map<Integer, List<String>> offers) {
    Column result = lit(null).cast(DataTypes.StringType);
    List<Map.Entry<Integer, List<String>>> entries = new ArrayList<>(offers.entrySet());
    // Built from the last branch backwards, so the first offer of the segment is tested first.
    for (int s = entries.size() - 1; s >= 0; s--) {
      List<String> values = entries.get(s).getValue();
      Column inSegment = lit(null).cast(DataTypes.StringType);
      for (int v = values.size() - 1; v >= 0; v--) {
        Column holds = coalesce(functions.array_contains(held, values.get(v)), lit(false));
        inSegment = when(not(holds), lit(values.get(v))).otherwise(inSegment);
      }
      result = when(segmentId.equalTo(entries.get(s).getKey()), inSegment).otherwise(result);
    }
    return result;
  }
}
