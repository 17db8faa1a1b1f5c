package dev.segments.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.segments.cluster.KPrototypesModel;
import dev.segments.cluster.Prototype;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How segment ids are kept from one run to the next: tonight's clusters matched to the previous run's segments by
 * {@link StableSegmentIds}. Tonight's numeric centres are the clusters' means in original units, as the previous
 * run's profiles hold them (with a Yeo-Johnson scaling the model's centres, mapped back, are not arithmetic means).
 * Distances are in units of tonight's standard deviations; a mode mismatch costs the model's gamma when numeric
 * features are standardised (zscore, yeo-johnson), else Huang's 0.5. A pair more than one standard deviation apart
 * per numeric feature on average, or differing in more than half the modes, is not the same segment. A new segment
 * gets an id above every id ever used ({@link StableSegmentIds#HIGH_WATER_COLUMN}).
 */
public final class SegmentIdMatching {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentIdMatching.class);

  private SegmentIdMatching() {}

  /**
   * @param std tonight's population standard deviation of each numeric feature ({@link CustomerTotals#stds})
   * @param clustered the feature table with each row's cluster of {@code model} in {@code clusterCol}
   * @param previous the previous run's segments ({@link #previousPrototypes}); empty when there was none
   * @param highestIdBefore the highest segment id used on any earlier night ({@link StableSegmentIds#highestIdUsed})
   * @return segment id per cluster of {@code model}
   */
  public static Map<Integer, Integer> assign(KPrototypesModel model, double[] std,
      Dataset<Row> clustered, String clusterCol, List<String> numeric, List<String> categorical,
      Map<Integer, Prototype> previous, int highestIdBefore) {
    double gamma = model.zScored() ? model.gamma() : 0.5;
    double maxCost = numeric.size() + gamma * categorical.size() / 2.0;
    Map<Integer, Prototype> current = new TreeMap<>();
    Map<Integer, Long> sizes = new TreeMap<>();
    Map<Integer, double[]> means = clusterMeans(clustered, clusterCol, numeric);
    List<Prototype> fitted = model.prototypes();
    for (int c = 0; c < model.k(); c++) {
      if (means.containsKey(c)) {
        current.put(c, new Prototype(means.get(c), fitted.get(c).modes()));
        sizes.put(c, model.clusterSizes()[c]);
      }
    }
    Map<Integer, Integer> ids = new StableSegmentIds(std, gamma, maxCost).assign(previous, highestIdBefore, current,
        sizes);
    LOG.info("segment ids (cluster -> id): {}; previous run's segments: {}; highest id used before: {}", ids,
        previous.keySet(), highestIdBefore);
    return ids;
  }

  /** Each assigned cluster's numeric means in original units. */
  private static Map<Integer, double[]> clusterMeans(Dataset<Row> clustered, String clusterCol, List<String> numeric) {
    List<Column> aggregates = new ArrayList<>(List.of(functions.count(lit(1))));
    numeric.forEach(f -> aggregates.add(functions.avg(col(f))));
    Map<Integer, double[]> means = new TreeMap<>();
    for (Row r : clustered.groupBy(col(clusterCol)).agg(aggregates.get(0), aggregates.subList(1, aggregates.size())
        .toArray(Column[]::new)).collectAsList()) {
      double[] mean = new double[numeric.size()];
      for (int f = 0; f < mean.length; f++) {
        mean[f] = r.getDouble(2 + f);
      }
      means.put(r.getInt(0), mean);
    }
    return means;
  }

  /**
   * The previous run's segments by id, from its segment_profiles rows: each numeric feature's mean in original units
   * and each categorical feature's mode. Empty when there was no previous run, or when its profiles lack one of
   * tonight's features (the segments are then new: new ids, no warm start).
   */
  public static Map<Integer, Prototype> previousPrototypes(Optional<Dataset<Row>> previousProfiles,
      List<String> numeric, List<String> categorical) {
    if (previousProfiles.isEmpty()) {
      return Map.of();
    }
    try {
      return new TreeMap<>(SegmentProfiles.prototypes(previousProfiles.get(), numeric, categorical));
    } catch (RuntimeException featuresChanged) {
      LOG.warn("the previous run's segments cannot be matched (its features differ): new ids are given. {}",
          featuresChanged.getMessage());
      return Map.of();
    }
  }
}
