package dev.segments.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.stddev_pop;

import dev.segments.cluster.KPrototypesModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How segment ids are kept from one run to the next: tonight's prototypes matched to the previous run's segments by
 * {@link StableSegmentIds}. Distances are in units of tonight's standard deviations; a mode mismatch costs the
 * model's gamma when numeric features are z-scored, else Huang's 0.5. A pair more than one standard deviation apart
 * per numeric feature on average, or differing in more than half the modes, is not the same segment.
 */
public final class SegmentIdMatching {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentIdMatching.class);

  private SegmentIdMatching() {}

  /**
   * @param previousProfiles the previous run's segment_profiles rows, if any
   * @return segment id per cluster of {@code model}
   */
  public static Map<Integer, Integer> assign(KPrototypesModel model, String scaling, Dataset<Row> rows,
      List<String> numeric, List<String> categorical, Optional<Dataset<Row>> previousProfiles) {
    double[] std = numericStd(rows, numeric);
    double gamma = "zscore".equals(scaling) ? model.gamma() : 0.5;
    double maxCost = numeric.size() + gamma * categorical.size() / 2.0;
    Map<Integer, Prototype> current = new TreeMap<>();
    Map<Integer, Long> sizes = new TreeMap<>();
    double[][] centres = model.numericCenters();
    String[][] modes = model.modes();
    for (int c = 0; c < model.k(); c++) {
      current.put(c, new Prototype(centres[c], modes[c]));
      sizes.put(c, model.clusterSizes()[c]);
    }
    Map<Integer, Prototype> previous = previousProfiles
        .flatMap(table -> readPrototypes(table, numeric, categorical))
        .orElse(Map.of());
    Map<Integer, Integer> ids = new StableSegmentIds(std, gamma, maxCost).assign(previous, current, sizes);
    LOG.info("segment ids (cluster -> id): {}; previous run's segments: {}", ids, previous.keySet());
    return ids;
  }

  private static Optional<Map<Integer, Prototype>> readPrototypes(Dataset<Row> table, List<String> numeric,
      List<String> categorical) {
    try {
      return Optional.of(SegmentProfiles.prototypes(table, numeric, categorical));
    } catch (RuntimeException featuresChanged) {
      LOG.warn("the previous run's segments cannot be matched (its features differ): new ids are given. {}",
          featuresChanged.getMessage());
      return Optional.empty();
    }
  }

  private static double[] numericStd(Dataset<Row> rows, List<String> numeric) {
    if (numeric.isEmpty()) {
      return new double[0];
    }
    Row stats = rows.agg(stddev_pop(col(numeric.get(0))),
        numeric.stream().skip(1).map(c -> stddev_pop(col(c))).toArray(Column[]::new)).first();
    double[] std = new double[numeric.size()];
    for (int i = 0; i < std.length; i++) {
      std[i] = stats.isNullAt(i) ? 0 : stats.getDouble(i);
    }
    return std;
  }
}
