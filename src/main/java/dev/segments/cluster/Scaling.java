package dev.segments.cluster;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.skewness;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How numeric features are put on comparable axes before distances are taken. */
enum Scaling {
  /**
   * Per column, from the data: a column whose |skewness| exceeds {@value #SKEW_THRESHOLD} (money, counts, recency:
   * a few large customers far out in the tail) is Yeo-Johnson transformed with λ fitted by maximum likelihood,
   * kept only when it makes the column less skewed; then every column is z-scored.
   */
  YEO_JOHNSON("yeo-johnson"),
  /** As {@link #YEO_JOHNSON}, then every column min-max scaled instead of z-scored. */
  YEO_JOHNSON_MINMAX("yeo-johnson-minmax"),
  /** (x − mean) / population standard deviation. */
  ZSCORE("zscore"),
  /** (x − min) / (max − min). */
  MINMAX("minmax"),
  /** Values used as they are. */
  NONE("none");

  private static final Logger LOG = LoggerFactory.getLogger(Scaling.class);
  /** |skewness| beyond which a column counts as strongly skewed (Bulmer's rule of thumb: beyond 1 is highly skewed). */
  static final double SKEW_THRESHOLD = 1.0;
  /** At most about this many rows fit λ; larger inputs are thinned by a hash of the row's numeric values. */
  static final long LAMBDA_ROWS = 100_000;

  static final String[] NAMES = Arrays.stream(values()).map(s -> s.paramValue).toArray(String[]::new);

  final String paramValue;

  Scaling(String paramValue) {
    this.paramValue = paramValue;
  }

  static Scaling of(String name) {
    for (Scaling scaling : values()) {
      if (scaling.paramValue.equals(name.toLowerCase(Locale.ROOT))) {
        return scaling;
      }
    }
    throw new IllegalArgumentException("unknown scaling '" + name + "'; one of " + String.join(", ", NAMES));
  }

  /**
   * The scaler for the numeric columns of {@code data} with these statistics; a constant column is shifted but not
   * divided. Yeo-Johnson reads the input twice more: the rows that fit λ, and the transformed columns' moments.
   */
  NumericScaler scalerFor(FeatureStatistics stats, Dataset<?> data, String[] numericCols) {
    int d = stats.means().length;
    double[] lambda = new double[d];
    Arrays.fill(lambda, Double.NaN);
    double[] shift = new double[d];
    double[] divisor = new double[d];
    double[] skewAfter = stats.skews().clone();
    double[] transformedStddev = stats.stddevs().clone();
    for (int f = 0; f < d; f++) {
      double spread = switch (this) {
        case YEO_JOHNSON, ZSCORE -> stats.stddevs()[f];
        case YEO_JOHNSON_MINMAX, MINMAX -> stats.maxima()[f] - stats.minima()[f];
        case NONE -> 1.0;
      };
      shift[f] = switch (this) {
        case YEO_JOHNSON, ZSCORE -> stats.means()[f];
        case YEO_JOHNSON_MINMAX, MINMAX -> stats.minima()[f];
        case NONE -> 0.0;
      };
      divisor[f] = spread > 0 ? spread : 1.0;
    }
    if (this == YEO_JOHNSON || this == YEO_JOHNSON_MINMAX) {
      transformSkewed(stats, data, numericCols, this == YEO_JOHNSON_MINMAX, lambda, shift, divisor,
          transformedStddev, skewAfter);
    }
    NumericScaler scaler = new NumericScaler(paramValue, lambda, shift, divisor, transformedStddev,
        stats.skews().clone(), skewAfter);
    for (int f = 0; f < d; f++) {
      LOG.info("scaling of {}: {}", numericCols[f], describe(scaler, f));
    }
    return scaler;
  }

  /** The affine step, by its own scaling's name: zscore, minmax or none. */
  String affineStep() {
    return switch (this) {
      case YEO_JOHNSON, ZSCORE -> ZSCORE.paramValue;
      case YEO_JOHNSON_MINMAX, MINMAX -> MINMAX.paramValue;
      case NONE -> NONE.paramValue;
    };
  }

  /** One column's scaling in words, for the log. */
  static String describe(NumericScaler scaler, int f) {
    if (scaler.transformed(f)) {
      return String.format(Locale.ROOT, "skewness %.2f, Yeo-Johnson with lambda %.3f, skewness after %.2f, then %s",
          scaler.skewBefore()[f], scaler.lambda()[f], scaler.skewAfter()[f], of(scaler.scaling()).affineStep());
    }
    Scaling scaling = of(scaler.scaling());
    return String.format(Locale.ROOT, "skewness %.2f, %s%s", scaler.skewBefore()[f], scaling.affineStep(),
        scaling == YEO_JOHNSON || scaling == YEO_JOHNSON_MINMAX
            ? " only (not strongly skewed, or the transform did not reduce it)" : "");
  }

  private static void transformSkewed(FeatureStatistics stats, Dataset<?> data, String[] numericCols,
      boolean minmax, double[] lambda, double[] shift, double[] divisor, double[] transformedStddev,
      double[] skewAfter) {
    List<Integer> skewed = new ArrayList<>();
    for (int f = 0; f < numericCols.length; f++) {
      if (Math.abs(stats.skews()[f]) > SKEW_THRESHOLD && stats.stddevs()[f] > 0) {
        skewed.add(f);
      }
    }
    if (skewed.isEmpty()) {
      return;
    }
    double[][] sample = lambdaSample(stats.rows(), data, numericCols, skewed);
    double[] fitted = new double[skewed.size()];
    List<Column> moments = new ArrayList<>();
    for (int i = 0; i < skewed.size(); i++) {
      fitted[i] = YeoJohnson.fitLambda(sample[i]);
      Column t = YeoJohnson.transform(FeatureStatistics.column(numericCols[skewed.get(i)]).cast("double"),
          fitted[i]);
      moments.addAll(List.of(avg(t), stddev_pop(t), skewness(t), min(t), max(t)));
    }
    Row row = data.agg(moments.get(0), moments.subList(1, moments.size()).toArray(new Column[0])).first();
    for (int i = 0; i < skewed.size(); i++) {
      int f = skewed.get(i);
      int at = 5 * i;
      double std = row.isNullAt(at + 1) ? 0 : row.getDouble(at + 1);
      double after = row.isNullAt(at + 2) ? 0 : row.getDouble(at + 2);
      if (std > 0 && Double.isFinite(std) && Math.abs(after) < Math.abs(stats.skews()[f])) {
        lambda[f] = fitted[i];
        shift[f] = minmax ? row.getDouble(at + 3) : row.getDouble(at);
        divisor[f] = minmax ? row.getDouble(at + 4) - row.getDouble(at + 3) : std;
        transformedStddev[f] = std;
        skewAfter[f] = after;
      }
    }
  }

  /**
   * The skewed columns' values λ is fitted on: every row up to {@value #LAMBDA_ROWS} rows, else the rows whose hash
   * of all numeric values falls in one residue class, so the choice depends on the data only, not on partitioning.
   */
  private static double[][] lambdaSample(long rows, Dataset<?> data, String[] numericCols, List<Integer> skewed) {
    Column[] selected = skewed.stream().map(f -> FeatureStatistics.column(numericCols[f]).cast("double"))
        .toArray(Column[]::new);
    Dataset<Row> sample = data.select(selected);
    if (rows > LAMBDA_ROWS) {
      long every = (rows + LAMBDA_ROWS - 1) / LAMBDA_ROWS;
      Column[] all = Arrays.stream(numericCols).map(FeatureStatistics::column).toArray(Column[]::new);
      sample = data.where(pmod(xxhash64(all), lit(every)).equalTo(0)).select(selected);
    }
    List<Row> collected = sample.collectAsList();
    double[][] values = new double[skewed.size()][collected.size()];
    for (int r = 0; r < collected.size(); r++) {
      for (int i = 0; i < skewed.size(); i++) {
        values[i][r] = collected.get(r).getDouble(i);
      }
    }
    return values;
  }
}
