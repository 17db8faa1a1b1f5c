package dev.segments.analysis;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mean silhouette of segment assignments of mixed numeric and categorical data under the Gower distance.
 *
 * <p>Gower distance: numeric feature f contributes |x - y| / range_f, the range (max - min) taken over the sample
 * (a zero range contributes 0); a categorical feature contributes 0 when equal and 1 otherwise; the distance is the
 * weighted mean of the contributions (equal weights unless given), so it lies in [0, 1] within the sample.
 *
 * <p>The silhouette is computed exactly on a seeded sample stratified by segment (see {@link StratifiedSample};
 * default 5,000 rows). The sample is broadcast as primitive arrays and each Spark task computes, for its slice of
 * sample rows, every row's mean distance to each segment, so the n² distances are never held anywhere. Several
 * assignments of the same rows (one per k) are scored in the same pass over the pairs.
 */
public final class GowerSilhouette {
  private GowerSilhouette() {}

  private static final Logger LOG = LoggerFactory.getLogger(GowerSilhouette.class);

  public static final int DEFAULT_SAMPLE_SIZE = 5_000;

  /** Mean silhouette of each assignment column, in order, with equal feature weights. */
  public static double[] meanSilhouettes(Dataset<Row> rows, List<String> numericCols,
      List<String> categoricalCols, List<String> segmentCols, int sampleSize, long seed) {
    return meanSilhouettes(rows, numericCols, categoricalCols, segmentCols, sampleSize, seed, null);
  }

  /**
   * Mean silhouette of each assignment column, in order, over one sample stratified by the first column. An
   * assignment with fewer than two segments in the sample has no silhouette: NaN.
   *
   * @param featureWeights one per feature, numeric features first, then categorical; null for equal weights
   */
  public static double[] meanSilhouettes(Dataset<Row> rows, List<String> numericCols,
      List<String> categoricalCols, List<String> segmentCols, int sampleSize, long seed, double[] featureWeights) {
    if (segmentCols.isEmpty()) {
      throw new IllegalArgumentException("no segment column given");
    }
    List<String> columns = new ArrayList<>(numericCols);
    columns.addAll(categoricalCols);
    columns.addAll(segmentCols);
    Column[] typed = new Column[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      String name = columns.get(c);
      String type = c < numericCols.size() ? "double"
          : c < numericCols.size() + categoricalCols.size() ? "string" : "int";
      typed[c] = col(name).cast(type).as(name);
    }
    List<Row> sampled = StratifiedSample.draw(rows.select(typed), columns, segmentCols, sampleSize, seed);
    SilhouetteSample sample = toArrays(sampled, numericCols, categoricalCols, segmentCols, featureWeights);
    LOG.info("Gower silhouette of {} assignments on a sample of {} rows ({} numeric, {} categorical features)",
        segmentCols.size(), sample.size(), numericCols.size(), categoricalCols.size());

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
    Broadcast<SilhouetteSample> shared = jsc.broadcast(sample);
    int n = sample.size();
    int slices = Math.max(1, Math.min(n, jsc.defaultParallelism() * 4));
    List<int[]> ranges = new ArrayList<>();
    for (int s = 0; s < slices; s++) {
      ranges.add(new int[] {(int) ((long) n * s / slices), (int) ((long) n * (s + 1) / slices)});
    }
    double[] sums;
    try {
      sums = jsc.parallelize(ranges, slices)
          .map(range -> shared.value().silhouetteSums(range[0], range[1]))
          .reduce(GowerSilhouette::add);
    } finally {
      shared.destroy();
    }
    double[] means = new double[segmentCols.size()];
    for (int a = 0; a < means.length; a++) {
      means[a] = sample.segmentSizes()[a].length < 2 ? Double.NaN : sums[a] / n;
    }
    return means;
  }

  /** Gower distance between two rows with equal feature weights. */
  public static double distance(double[] xNumeric, String[] xCategorical, double[] yNumeric,
      String[] yCategorical, double[] numericRanges) {
    return distance(xNumeric, xCategorical, yNumeric, yCategorical, numericRanges, null);
  }

  /**
   * Gower distance between two rows.
   *
   * @param numericRanges range (max - min) of each numeric feature in the data the rows come from
   * @param featureWeights one per feature, numeric features first; null for equal weights
   */
  public static double distance(double[] xNumeric, String[] xCategorical, double[] yNumeric,
      String[] yCategorical, double[] numericRanges, double[] featureWeights) {
    int p = numericRanges.length;
    int q = xCategorical.length;
    if (xNumeric.length != p || yNumeric.length != p || yCategorical.length != q) {
      throw new IllegalArgumentException("rows do not have the same features: " + xNumeric.length + " and "
          + yNumeric.length + " numeric values for " + p + " ranges, " + q + " and " + yCategorical.length
          + " categorical values");
    }
    double[] numeric = new double[2 * p];
    System.arraycopy(xNumeric, 0, numeric, 0, p);
    System.arraycopy(yNumeric, 0, numeric, p, p);
    int[] codes = new int[2 * q];
    for (int c = 0; c < q; c++) {
      codes[q + c] = xCategorical[c].equals(yCategorical[c]) ? 0 : 1;
    }
    return new GowerKernel(numericRanges, q, featureWeights).distance(numeric, codes, 0, 1);
  }

  private static SilhouetteSample toArrays(List<Row> sampled, List<String> numericCols,
      List<String> categoricalCols, List<String> segmentCols, double[] featureWeights) {
    int n = sampled.size();
    int p = numericCols.size();
    int q = categoricalCols.size();
    int m = segmentCols.size();
    double[] numeric = new double[n * p];
    int[] codes = new int[n * q];
    int[] labels = new int[n * m];
    List<Map<String, Integer>> categoryCodes = new ArrayList<>();
    for (int c = 0; c < q; c++) {
      categoryCodes.add(new HashMap<>());
    }
    List<Map<Integer, Integer>> denseLabels = new ArrayList<>();
    for (int a = 0; a < m; a++) {
      denseLabels.add(new HashMap<>());
    }
    double[] min = new double[p];
    double[] max = new double[p];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < n; i++) {
      Row r = sampled.get(i);
      for (int f = 0; f < p; f++) {
        double v = r.isNullAt(f) ? Double.NaN : r.getDouble(f);
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("numeric feature " + numericCols.get(f)
              + " must hold finite numbers, found " + (r.isNullAt(f) ? "null" : v));
        }
        numeric[i * p + f] = v;
        min[f] = Math.min(min[f], v);
        max[f] = Math.max(max[f], v);
      }
      for (int c = 0; c < q; c++) {
        if (r.isNullAt(p + c)) {
          throw new IllegalArgumentException("categorical feature " + categoricalCols.get(c) + " holds nulls");
        }
        Map<String, Integer> known = categoryCodes.get(c);
        codes[i * q + c] = known.computeIfAbsent(r.getString(p + c), v -> known.size());
      }
      for (int a = 0; a < m; a++) {
        Map<Integer, Integer> known = denseLabels.get(a);
        labels[i * m + a] = known.computeIfAbsent(r.getInt(p + q + a), v -> known.size());
      }
    }
    double[] ranges = new double[p];
    for (int f = 0; f < p; f++) {
      ranges[f] = n == 0 ? 0 : max[f] - min[f];
    }
    int[][] segmentSizes = new int[m][];
    for (int a = 0; a < m; a++) {
      segmentSizes[a] = new int[denseLabels.get(a).size()];
    }
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < m; a++) {
        segmentSizes[a][labels[i * m + a]]++;
      }
    }
    return new SilhouetteSample(n, numeric, codes, labels, segmentSizes,
        new GowerKernel(ranges, q, featureWeights));
  }

  private static double[] add(double[] x, double[] y) {
    double[] sum = x.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += y[i];
    }
    return sum;
  }
}
