package dev.segments.analysis;

import dev.segments.cluster.KPrototypes;
import dev.segments.cluster.KPrototypesModel;
import dev.segments.cluster.KPrototypesRange;
import dev.segments.contract.ContractException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the number of segments is found: every candidate k fitted together on one cached copy of the feature table
 * ({@link KPrototypes#fitRange}: shared passes, a cost that never rises with k, each k's stability), each k scored by
 * the Gower silhouette on one shared sample, and k chosen by {@link KSelection}'s rule.
 */
public final class KSearch {
  private static final Logger LOG = LoggerFactory.getLogger(KSearch.class);

  private KSearch() {}

  /**
   * Fits every k of {@code ks}. A k with fewer distinct customers than k is skipped with a warning, unless k was
   * fixed by the user ({@code kFixed}), which makes it an error; so is a search where no k could be fitted.
   */
  public static KPrototypesRange fit(KPrototypes estimator, Dataset<Row> rows, int[] ks, boolean kFixed) {
    KPrototypesRange range = estimator.fitRange(rows, ks);
    for (Map.Entry<Integer, String> skipped : range.skipped().entrySet()) {
      if (kFixed) {
        throw new ContractException(skipped.getValue());
      }
      LOG.warn("k={} skipped: {}", skipped.getKey(), skipped.getValue());
    }
    if (range.models().isEmpty()) {
      throw new ContractException("no k in " + Arrays.toString(ks)
          + " could be fitted: the feature table has too few distinct customers");
    }
    range.fits().forEach((k, fit) -> LOG.info("k={}: cost {} after {} iterations, gamma {}{}", k, fit.model().cost(),
        fit.model().numIter(), fit.model().gamma(), fit.refittedFromBelow() ? " (refitted from k-1)" : ""));
    LOG.info("k search: {} k in {} shared passes over the cached feature table", range.models().size(),
        range.passes());
    return range;
  }

  /** Scores every fitted k on one shared Gower-silhouette sample (one pass over the sample's pairs) and chooses k. */
  public static KSelection.Choice choose(Dataset<Row> rows, List<String> numeric, List<String> categorical,
      KPrototypesRange range, int silhouetteSample, long seed, KSelection.Rules rules) {
    Dataset<Row> assigned = rows;
    List<String> assignmentCols = new ArrayList<>();
    for (Map.Entry<Integer, KPrototypesModel> fitted : range.models().entrySet()) {
      String column = "_k" + fitted.getKey();
      assignmentCols.add(column);
      assigned = fitted.getValue().copy(new ParamMap())
          .setPredictionCol(column).setDistanceCol("_d" + fitted.getKey())
          .transform(assigned).drop("_d" + fitted.getKey());
    }
    boolean onlyOneCluster = range.models().size() == 1 && range.models().firstKey() == 1;
    double[] silhouettes = onlyOneCluster
        ? new double[] {Double.NaN}
        : GowerSilhouette.meanSilhouettes(assigned, numeric, categorical, assignmentCols, silhouetteSample, seed);
    List<KSelection.KScore> results = new ArrayList<>();
    int i = 0;
    for (Map.Entry<Integer, KPrototypesRange.KFit> fitted : range.fits().entrySet()) {
      KPrototypesModel model = fitted.getValue().model();
      results.add(new KSelection.KScore(fitted.getKey(), model.cost(), silhouettes[i++],
          fitted.getValue().stability(), smallestShare(model.clusterSizes())));
    }
    results.forEach(r -> LOG.info("k={}: cost {}, Gower silhouette {}, stability {}, smallest segment share {}", r.k(),
        r.cost(), r.silhouette(), r.stability(), r.smallestShare()));
    KSelection.Choice choice = KSelection.choose(results, rules);
    LOG.info("chose k={}: {}", choice.k(), choice.reason());
    return choice;
  }

  /** The share of the fitted rows in the smallest cluster. */
  static double smallestShare(long[] clusterSizes) {
    long total = 0;
    long smallest = Long.MAX_VALUE;
    for (long size : clusterSizes) {
      total += size;
      smallest = Math.min(smallest, size);
    }
    return total == 0 ? Double.NaN : (double) smallest / total;
  }
}
