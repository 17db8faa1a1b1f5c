package dev.segments.bench;

import dev.segments.cluster.KPrototypes;
import dev.segments.cluster.KPrototypesModel;
import dev.segments.cluster.KPrototypesRange;
import dev.segments.config.ClusteringSettings;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The k search in shared passes against fitting each k alone, in the same run, on the same cached rows (the bench's
 * generated 6 numeric + 4 categorical columns around 8 groups) with the pipeline's default settings: k = 2..10,
 * k-prototypes||, 3 starts, 3 stability starts, tol 1e-4. Reports the search's passes and time against the slowest
 * single fit and the fit of the largest k, and against the sum of the single fits (the search before it shared
 * passes), plus every k's cost both ways.
 */
public final class KSearchBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(KSearchBenchmark.class);
  private static final int K_MIN = 2;
  private static final int K_MAX = 10;

  private KSearchBenchmark() {}

  public static String run(SparkSession spark, long rows, long seed) {
    String[] numeric = ClusteringBenchmark.names("x", ClusteringBenchmark.NUMERIC);
    String[] categorical = ClusteringBenchmark.names("c", ClusteringBenchmark.CATEGORICAL);
    Dataset<Row> data = ClusteringBenchmark.generate(spark, rows, seed).persist(StorageLevel.MEMORY_AND_DISK());
    data.count();
    // Untimed warm-up, so neither side carries the JIT's first passes.
    estimator(numeric, categorical, seed).setK(K_MAX).fit(data.limit(50_000));

    int[] ks = new int[K_MAX - K_MIN + 1];
    for (int i = 0; i < ks.length; i++) {
      ks[i] = K_MIN + i;
    }
    long started = System.nanoTime();
    KPrototypesRange range = estimator(numeric, categorical, seed).fitRange(data, ks);
    double searchSeconds = (System.nanoTime() - started) / 1e9;

    double sumSeconds = 0;
    int sumPasses = 0;
    int slowestPasses = 0;
    double largestSeconds = 0;
    int largestPasses = 0;
    for (int k : ks) {
      long begun = System.nanoTime();
      KPrototypesModel alone = estimator(numeric, categorical, seed).setK(k).fit(data);
      double seconds = (System.nanoTime() - begun) / 1e9;
      sumSeconds += seconds;
      sumPasses += alone.summary().passes();
      slowestPasses = Math.max(slowestPasses, alone.summary().passes());
      if (k == K_MAX) {
        largestSeconds = seconds;
        largestPasses = alone.summary().passes();
      }
      LOG.info("k={}: alone cost {} in {} passes, {}s; in the search cost {}{}", k, alone.cost(),
          alone.summary().passes(), String.format(Locale.ROOT, "%.2f", seconds), range.models().get(k).cost(),
          range.fits().get(k).refittedFromBelow() ? " (refitted from k-1)" : "");
    }
    data.unpersist();
    String line = String.format(Locale.ROOT, "RESULT n=%d search_passes=%d slowest_fit_passes=%d"
            + " largest_k_fit_passes=%d passes_ratio_vs_slowest=%.2f search_s=%.1f largest_k_fit_s=%.1f"
            + " time_ratio_vs_largest_k=%.2f single_fits_passes=%d single_fits_s=%.1f", rows, range.passes(),
        slowestPasses, largestPasses, (double) range.passes() / slowestPasses, searchSeconds, largestSeconds,
        searchSeconds / largestSeconds, sumPasses, sumSeconds);
    LOG.info(line);
    return line;
  }

  /** The night's estimator, with the defaults' settings and the bench's seed. */
  private static KPrototypes estimator(String[] numeric, String[] categorical, long seed) {
    return ClusteringSettings.defaults().estimator(List.of(numeric), List.of(categorical)).setSeed(seed);
  }
}
