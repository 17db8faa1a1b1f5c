package dev.segments.analysis;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.linalg.Matrix;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.linalg.distributed.RowMatrix;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Factor analysis of mixed data: the first two principal coordinates of customers described by numeric and
 * categorical features, for plotting segments on a plane.
 *
 * <p>Rows are encoded as in {@link FamdEncoding} (z-scores; indicators / sqrt(p) - sqrt(p)) and the principal
 * axes are found by MLlib's {@link RowMatrix} (eigen-decomposition of the covariance of the encoded rows). A
 * categorical feature keeps its {@code maxCategories} most frequent values (default 50; ties by value) and merges
 * the rest into one "other" level, which bounds the encoded width. Each axis's sign is fixed so that its largest
 * loading in absolute value (the first such on ties) is positive, so reruns on the same data give the same picture.
 */
public final class Famd {
  private Famd() {}

  private static final Logger LOG = LoggerFactory.getLogger(Famd.class);

  public static final int DEFAULT_MAX_CATEGORIES = 50;
  public static final String FIRST_COORDINATE = "famd_1";
  public static final String SECOND_COORDINATE = "famd_2";

  /**
   * @param rows the input rows with {@value #FIRST_COORDINATE} and {@value #SECOND_COORDINATE} (double) appended
   * @param inertiaShares the share of the total inertia carried by each of the two axes
   */
  public record Result(Dataset<Row> rows, double[] inertiaShares) {
    public Result {
      inertiaShares = inertiaShares.clone();
    }

    @Override
    public double[] inertiaShares() {
      return inertiaShares.clone();
    }
  }

  public static Result compute(Dataset<Row> rows, List<String> numericCols, List<String> categoricalCols) {
    return compute(rows, numericCols, categoricalCols, DEFAULT_MAX_CATEGORIES);
  }

  public static Result compute(Dataset<Row> rows, List<String> numericCols, List<String> categoricalCols,
      int maxCategories) {
    return compute(rows, numericCols, categoricalCols, CustomerTotals.of(rows, numericCols, null),
        levelCounts(rows, categoricalCols), maxCategories);
  }

  /**
   * As {@link #compute(Dataset, List, List)}, from what the run already knows of {@code rows}: their totals and,
   * per categorical feature, the rows with each value.
   */
  public static Result compute(Dataset<Row> rows, List<String> numericCols, List<String> categoricalCols,
      CustomerTotals totals, List<Map<String, Long>> valueCounts) {
    return compute(rows, numericCols, categoricalCols, totals, valueCounts, DEFAULT_MAX_CATEGORIES);
  }

  private static Result compute(Dataset<Row> rows, List<String> numericCols, List<String> categoricalCols,
      CustomerTotals totals, List<Map<String, Long>> valueCounts, int maxCategories) {
    if (maxCategories < 1) {
      throw new IllegalArgumentException("maxCategories must be at least 1, got " + maxCategories);
    }
    FamdEncoding encoding = encoding(totals, numericCols, categoricalCols, valueCounts, maxCategories);
    if (encoding.width() < 2) {
      throw new IllegalArgumentException("FAMD needs at least two encoded columns; the features "
          + numericCols + " and " + categoricalCols + " give " + encoding.width());
    }
    JavaRDD<Vector> encoded = typedFeatures(rows, numericCols, categoricalCols).javaRDD()
        .map(r -> Vectors.dense(encoding.encode(r)));
    // Rows and columns are known: RowMatrix would otherwise run a job to learn the width.
    Tuple2<Matrix, Vector> pca = new RowMatrix(encoded.rdd(), totals.customers(), encoding.width())
        .computePrincipalComponentsAndExplainedVariance(2);
    double[][] axes = orientedAxes(pca._1());
    double[] shares = pca._2().toArray();
    LOG.info("FAMD over {} encoded columns: first two axes carry {} and {} of the inertia",
        encoding.width(), shares[0], shares[1]);
    Dataset<Row> withCoordinates = rows
        .withColumn(FIRST_COORDINATE, coordinate(axes[0], encoding, numericCols, categoricalCols))
        .withColumn(SECOND_COORDINATE, coordinate(axes[1], encoding, numericCols, categoricalCols));
    return new Result(withCoordinates, shares);
  }

  private static Dataset<Row> typedFeatures(Dataset<Row> rows, List<String> numericCols,
      List<String> categoricalCols) {
    List<Column> typed = new ArrayList<>();
    numericCols.forEach(c -> typed.add(col(c).cast("double")));
    categoricalCols.forEach(c -> typed.add(col(c).cast("string")));
    return rows.select(typed.toArray(Column[]::new));
  }

  private static FamdEncoding encoding(CustomerTotals totals, List<String> numericCols, List<String> categoricalCols,
      List<Map<String, Long>> valueCounts, int maxCategories) {
    long n = totals.customers();
    if (n == 0) {
      throw new IllegalArgumentException("FAMD needs at least one row");
    }
    double[] means = totals.means();
    for (int f = 0; f < means.length; f++) {
      if (Double.isNaN(means[f])) {
        throw new IllegalArgumentException("numeric feature " + numericCols.get(f) + " holds only nulls");
      }
    }
    List<FamdEncoding.Levels> levels = new ArrayList<>();
    for (int f = 0; f < categoricalCols.size(); f++) {
      levels.add(levels(valueCounts.get(f), categoricalCols.get(f), n, maxCategories));
    }
    return new FamdEncoding(means, totals.stds(), levels);
  }

  /**
   * Rows per value of every categorical feature, per feature, in one job: each row's (feature, value) pairs exploded
   * and counted together, rather than one aggregation job per feature. A null value is counted under the key null.
   */
  private static List<Map<String, Long>> levelCounts(Dataset<Row> rows, List<String> categoricalCols) {
    List<Map<String, Long>> counts = new ArrayList<>();
    categoricalCols.forEach(c -> counts.add(new HashMap<>()));
    if (categoricalCols.isEmpty()) {
      return counts;
    }
    Column[] pairs = new Column[categoricalCols.size()];
    for (int f = 0; f < pairs.length; f++) {
      pairs[f] = struct(lit(f).as("feature"), col(categoricalCols.get(f)).cast("string").as("value"));
    }
    for (Row r : rows.select(explode(array(pairs)).as("pair"))
        .groupBy(col("pair.feature"), col("pair.value")).count().collectAsList()) {
      counts.get(r.getInt(0)).put(r.isNullAt(1) ? null : r.getString(1), r.getLong(2));
    }
    return counts;
  }

  private static FamdEncoding.Levels levels(Map<String, Long> valueCounts, String column, long n, int maxCategories) {
    // Immutable maps refuse to be asked about null: look through the keys.
    if (valueCounts.keySet().stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("categorical feature " + column + " holds nulls");
    }
    List<Row> counts = new ArrayList<>();
    valueCounts.forEach((value, count) -> counts.add(RowFactory.create(value, count)));
    counts.sort(Comparator.<Row>comparingLong(r -> -r.getLong(1)).thenComparing(r -> r.getString(0)));
    boolean merges = counts.size() > maxCategories;
    int kept = merges ? maxCategories : counts.size();
    double[] shares = new double[merges ? kept + 1 : kept];
    Map<String, Integer> index = new HashMap<>();
    for (int j = 0; j < counts.size(); j++) {
      double share = (double) counts.get(j).getLong(1) / n;
      if (j < kept) {
        index.put(counts.get(j).getString(0), j);
        shares[j] = share;
      } else {
        shares[kept] += share;
      }
    }
    return new FamdEncoding.Levels(index, shares, merges);
  }

  /** The axes as rows, each flipped so that its largest loading in absolute value is positive. */
  private static double[][] orientedAxes(Matrix components) {
    double[][] axes = new double[components.numCols()][components.numRows()];
    for (int a = 0; a < axes.length; a++) {
      int largest = 0;
      for (int f = 0; f < axes[a].length; f++) {
        axes[a][f] = components.apply(f, a);
        if (Math.abs(axes[a][f]) > Math.abs(axes[a][largest])) {
          largest = f;
        }
      }
      if (axes[a][largest] < 0) {
        for (int f = 0; f < axes[a].length; f++) {
          axes[a][f] = -axes[a][f];
        }
      }
    }
    return axes;
  }

  /**
   * The projection of the encoded row on an axis, as a column expression over the original features, so the
   * input rows pass through untouched: a numeric feature adds loading × z-score; a categorical feature adds
   * -Σ loading_j sqrt(p_j) over its levels plus loading_v / sqrt(p_v) for the row's level v.
   */
  private static Column coordinate(double[] axis, FamdEncoding encoding, List<String> numericCols,
      List<String> categoricalCols) {
    Column sum = lit(0.0);
    for (int f = 0; f < numericCols.size(); f++) {
      if (encoding.std(f) > 0) {
        sum = sum.plus(col(numericCols.get(f)).cast("double").minus(encoding.mean(f))
            .multiply(axis[f] / encoding.std(f)));
      }
    }
    int offset = numericCols.size();
    for (int c = 0; c < categoricalCols.size(); c++) {
      FamdEncoding.Levels levels = encoding.levels(c);
      double[] shares = levels.shares();
      double baseline = 0;
      for (int j = 0; j < shares.length; j++) {
        baseline -= axis[offset + j] * Math.sqrt(shares[j]);
      }
      List<Column> lookup = new ArrayList<>();
      for (Map.Entry<String, Integer> level : levels.index().entrySet()) {
        int j = level.getValue();
        lookup.add(lit(level.getKey()));
        lookup.add(lit(baseline + axis[offset + j] / Math.sqrt(shares[j])));
      }
      int other = levels.otherIndex();
      Column otherValue = lit(levels.hasOtherLevel()
          ? baseline + axis[offset + other] / Math.sqrt(shares[other]) : baseline);
      sum = sum.plus(coalesce(
          try_element_at(map(lookup.toArray(Column[]::new)), col(categoricalCols.get(c)).cast("string")), otherValue));
      offset += shares.length;
    }
    return sum;
  }
}
