package dev.segments.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.stddev_pop;

import dev.segments.analysis.Famd;
import dev.segments.analysis.GowerSilhouette;
import dev.segments.analysis.KSelection;
import dev.segments.analysis.Prototype;
import dev.segments.analysis.SegmentNamer;
import dev.segments.analysis.SegmentProfile;
import dev.segments.analysis.SegmentProfiles;
import dev.segments.analysis.StableSegmentIds;
import dev.segments.cluster.KPrototypes;
import dev.segments.cluster.KPrototypesModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From a feature table to named, stable segments: fits K-Prototypes for every candidate k, scores each with the
 * Gower silhouette on one shared sample, chooses k, matches the chosen clusters to the previous run's segments,
 * profiles and names them, and projects customers with FAMD.
 */
final class SegmentStep {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentStep.class);

  static final String SEGMENT_ID = "segment_id";
  static final String SEGMENT_NAME = "segment_name";
  static final String DISTANCE = "distance";
  private static final String CLUSTER = "_cluster";

  /**
   * @param customers the feature rows with segment_id, segment_name, distance, famd_1 and famd_2 added; persisted,
   *     for the caller to unpersist
   * @param profiles per segment, keyed by segment id, in the order of segment ids
   */
  record Result(
      KPrototypesModel model,
      KSelection.Choice choice,
      double silhouette,
      Dataset<Row> customers,
      Dataset<Row> profileTable,
      List<SegmentProfile> profiles,
      Map<Integer, String> names,
      double[] famdInertia) {}

  private SegmentStep() {}

  /**
   * @param rows the feature table, persisted by the caller
   * @param revenueCol a column of {@code rows} holding each customer's revenue, for revenue shares
   * @param previousProfiles the previous run's segment_profiles rows, to keep segment ids stable
   */
  static Result run(Dataset<Row> rows, List<String> numeric, List<String> categorical, String revenueCol,
      ClusteringSettings settings, AnalysisSettings analysis, Optional<Dataset<Row>> previousProfiles,
      RunStages stages) {
    stages.begin("k search");
    Map<Integer, KPrototypesModel> models = fitCandidates(rows, numeric, categorical, settings);
    stages.begin("silhouette");
    KSelection.Choice choice = chooseK(rows, numeric, categorical, models, analysis, settings.seed());
    KPrototypesModel model = models.get(choice.k());
    double silhouette = choice.table().stream().filter(KSelection.KRow::chosen).findFirst()
        .map(KSelection.KRow::silhouette).orElse(Double.NaN);
    LOG.info("chose k={} (silhouette {}, cost {})", choice.k(), silhouette, model.cost());

    stages.begin("profiles");
    Dataset<Row> clustered = model.setPredictionCol(CLUSTER).setDistanceCol(DISTANCE).transform(rows);
    Map<Integer, Integer> ids = stableIds(model, settings.scaling(), rows, numeric, categorical, previousProfiles);
    // Profiles, names and FAMD each read the assignments several times; assign once.
    Dataset<Row> segmented = clustered.withColumn(SEGMENT_ID, lookup(col(CLUSTER), ids)).drop(CLUSTER)
        .persist(StorageLevel.MEMORY_AND_DISK());

    SegmentProfiles.Result profiles = SegmentProfiles.compute(segmented, SEGMENT_ID, numeric, categorical, revenueCol);
    Map<Integer, String> names = SegmentNamer.names(profiles.profiles());
    LOG.info("segments: {}", names);
    Dataset<Row> named = segmented.withColumn(SEGMENT_NAME, lookup(col(SEGMENT_ID), names));
    Dataset<Row> profileTable = profiles.table()
        .withColumn(SEGMENT_NAME, lookup(col(SEGMENT_ID), names));

    stages.begin("FAMD");
    Famd.Result famd = Famd.compute(named, numeric, categorical);
    Dataset<Row> customers = famd.rows().persist(StorageLevel.MEMORY_AND_DISK());
    customers.count();
    segmented.unpersist();
    return new Result(model, choice, silhouette, customers, profileTable, profiles.profiles(), names,
        famd.inertiaShares());
  }

  private static Map<Integer, KPrototypesModel> fitCandidates(Dataset<Row> rows, List<String> numeric,
      List<String> categorical, ClusteringSettings settings) {
    Map<Integer, KPrototypesModel> models = new TreeMap<>();
    for (int k : settings.candidateKs()) {
      KPrototypes estimator = new KPrototypes()
          .setK(k)
          .setSeed(settings.seed())
          .setInitMode(settings.init())
          .setInitSteps(settings.initSteps())
          .setNumInits(settings.numInits())
          .setMaxIter(settings.maxIter())
          .setTol(settings.tol())
          .setScaling(settings.scaling())
          .setNumericCols(numeric.toArray(String[]::new))
          .setCategoricalCols(categorical.toArray(String[]::new));
      if (settings.gamma() != null) {
        estimator.setGamma(settings.gamma());
      }
      try {
        KPrototypesModel model = estimator.fit(rows);
        LOG.info("k={}: cost {} after {} iterations, gamma {}", k, model.cost(), model.numIter(), model.gamma());
        models.put(k, model);
      } catch (IllegalArgumentException tooFewPoints) {
        if (settings.k() != null) {
          throw tooFewPoints;
        }
        LOG.warn("k={} skipped: {}", k, tooFewPoints.getMessage());
      }
    }
    if (models.isEmpty()) {
      throw new IllegalArgumentException("no k in " + settings.kMin() + ".." + settings.kMax()
          + " could be fitted: the feature table has too few distinct customers");
    }
    return models;
  }

  /** Scores every fitted k on one shared Gower-silhouette sample (one pass over the sample's pairs). */
  private static KSelection.Choice chooseK(Dataset<Row> rows, List<String> numeric, List<String> categorical,
      Map<Integer, KPrototypesModel> models, AnalysisSettings analysis, long seed) {
    Dataset<Row> assigned = rows;
    List<String> assignmentCols = new ArrayList<>();
    for (Map.Entry<Integer, KPrototypesModel> fitted : models.entrySet()) {
      String column = "_k" + fitted.getKey();
      assignmentCols.add(column);
      assigned = fitted.getValue().copy(new org.apache.spark.ml.param.ParamMap())
          .setPredictionCol(column).setDistanceCol("_d" + fitted.getKey())
          .transform(assigned).drop("_d" + fitted.getKey());
    }
    double[] silhouettes = models.size() == 1 && models.keySet().iterator().next() == 1
        ? new double[] {Double.NaN}
        : GowerSilhouette.meanSilhouettes(assigned, numeric, categorical, assignmentCols,
            analysis.silhouetteSample(), seed);
    List<KSelection.KResult> results = new ArrayList<>();
    int i = 0;
    for (Map.Entry<Integer, KPrototypesModel> fitted : models.entrySet()) {
      results.add(new KSelection.KResult(fitted.getKey(), fitted.getValue().cost(), silhouettes[i++]));
    }
    results.forEach(r -> LOG.info("k={}: cost {}, Gower silhouette {}", r.k(), r.cost(), r.silhouette()));
    return KSelection.choose(results, analysis.silhouetteTolerance());
  }

  /**
   * Matches tonight's prototypes to the previous run's. Distances are in units of tonight's standard deviations;
   * a mode mismatch costs the model's gamma when numeric features are z-scored, else Huang's 0.5. A pair more than
   * one standard deviation apart per numeric feature on average, or differing in more than half the modes, is
   * not the same segment.
   */
  private static Map<Integer, Integer> stableIds(KPrototypesModel model, String scaling, Dataset<Row> rows,
      List<String> numeric,
      List<String> categorical, Optional<Dataset<Row>> previousProfiles) {
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

  /** A small map as a column expression: a CASE over its keys. */
  static <V> Column lookup(Column key, Map<Integer, V> values) {
    Column result = null;
    for (Map.Entry<Integer, V> entry : new LinkedHashMap<>(values).entrySet()) {
      Column branch = functions.when(key.equalTo(entry.getKey()), lit(entry.getValue()));
      result = result == null ? branch : result.when(key.equalTo(entry.getKey()), lit(entry.getValue()));
    }
    return result;
  }
}
