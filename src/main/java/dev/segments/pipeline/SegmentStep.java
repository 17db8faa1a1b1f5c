package dev.segments.pipeline;

import static dev.segments.analysis.StableSegmentIds.SEGMENT_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.segments.analysis.AssignmentConfidence;
import dev.segments.analysis.CustomerTotals;
import dev.segments.analysis.Famd;
import dev.segments.analysis.KSearch;
import dev.segments.analysis.KSelection;
import dev.segments.analysis.SegmentIdMatching;
import dev.segments.analysis.SegmentNamer;
import dev.segments.analysis.SegmentProfile;
import dev.segments.analysis.SegmentProfiles;
import dev.segments.analysis.StableSegmentIds;
import dev.segments.cluster.KPrototypes;
import dev.segments.cluster.KPrototypesModel;
import dev.segments.cluster.KPrototypesRange;
import dev.segments.cluster.Prototype;
import dev.segments.config.AnalysisSettings;
import dev.segments.config.ClusteringSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the analysis steps from a feature table to named, stable segments: the k search and the choice of k
 * ({@link KSearch}), ids kept from the previous run ({@link SegmentIdMatching}), profiles and names, FAMD. The rules
 * live in {@code analysis}; this only passes the config to them and marks the run's stages.
 */
final class SegmentStep {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentStep.class);

  static final String SEGMENT_NAME = "segment_name";
  static final String DISTANCE = "distance";
  static final String RUNNER_UP_SEGMENT_ID = "runner_up_segment_id";
  static final String CONFIDENCE = "confidence";
  static final String BORDERLINE = "borderline";
  static final String REASONS = "reasons";
  private static final String CLUSTER = "_cluster";
  private static final String RUNNER_UP = "_runner_up";
  private static final String RUNNER_UP_DISTANCE = "_runner_up_distance";

  /**
   * @param customers the feature rows with segment_id, segment_name, distance, runner_up_segment_id, confidence,
   *     borderline, reasons, famd_1 and famd_2 added; persisted and computed by its first reader, on the persisted
   *     {@code assignments}: both for the caller to {@link #unpersist}
   * @param profiles per segment, keyed by segment id, in the order of segment ids
   * @param explainedNames the names with the traits behind them, by segment id
   * @param borderlineShares per segment id, the share of its customers that are borderline
   */
  record Result(
      KPrototypesModel model,
      KSelection.Choice choice,
      double silhouette,
      Dataset<Row> customers,
      Dataset<Row> profileTable,
      List<SegmentProfile> profiles,
      Map<Integer, String> names,
      Map<Integer, SegmentNamer.SegmentName> explainedNames,
      double[] famdInertia,
      Map<Integer, Double> borderlineShares,
      Dataset<Row> assignments) {

    void unpersist() {
      customers.unpersist();
      assignments.unpersist();
    }
  }

  private SegmentStep() {}

  /**
   * @param rows the feature table, persisted by the caller
   * @param numeric the numeric features the profiles describe
   * @param clustered the numeric features the clustering uses (a subset of {@code numeric}): the segments, their
   *     ids, names and FAMD come from these
   * @param revenueCol a column of {@code rows} holding each customer's revenue, for revenue shares
   * @param previousProfiles the previous run's segment_profiles rows, to keep segment ids stable
   */
  static Result run(Dataset<Row> rows, List<String> numeric, List<String> clustered, List<String> categorical,
      String revenueCol, ClusteringSettings settings, AnalysisSettings analysis,
      Optional<Dataset<Row>> previousProfiles, RunStages stages) {
    stages.begin("k search");
    Map<Integer, Prototype> previous = SegmentIdMatching.previousPrototypes(previousProfiles, clustered,
        categorical);
    KPrototypes estimator = settings.estimator(clustered, categorical);
    if (!previous.isEmpty()) {
      // Last night's segments compete as one more start of their k: an unchanged night keeps them.
      estimator.setWarmStart(List.copyOf(previous.values()));
    }
    KPrototypesRange range = KSearch.fit(estimator, rows, settings.candidateKs(), settings.k() != null);
    stages.begin("silhouette");
    KSelection.Choice choice = KSearch.choose(rows, clustered, categorical, range, analysis.silhouetteSample(),
        settings.seed(), analysis.rules());
    KPrototypesModel model = range.models().get(choice.k());
    double silhouette = choice.table().stream().filter(KSelection.KRow::chosen).findFirst()
        .map(KSelection.KRow::silhouette).orElse(Double.NaN);

    stages.begin("profiles");
    Dataset<Row> assigned = model.setPredictionCol(CLUSTER).setDistanceCol(DISTANCE).setRunnerUpCol(RUNNER_UP)
        .setRunnerUpDistanceCol(RUNNER_UP_DISTANCE).transform(rows);
    int highestIdBefore = previousProfiles.map(StableSegmentIds::highestIdUsed).orElse(0);
    // The totals of the table, read by id matching, profiles and FAMD alike.
    CustomerTotals totals = CustomerTotals.of(rows, numeric, revenueCol);
    CustomerTotals clusteredTotals = totals.restrictedTo(numeric, clustered);
    Map<Integer, Integer> ids = SegmentIdMatching.assign(model, clusteredTotals.stds(), assigned, CLUSTER,
        clustered, categorical, previous, highestIdBefore);
    // Profiles, names and FAMD each read the assignments several times; assign once. The runner-up, confidence and
    // reasons are columns of the same projection: computed in the profiles' first job, no job of their own.
    Column confidence = AssignmentConfidence.confidence(col(DISTANCE), col(RUNNER_UP_DISTANCE));
    Dataset<Row> segmented = assigned
        .withColumn(SEGMENT_ID, lookup(col(CLUSTER), ids))
        .withColumn(RUNNER_UP_SEGMENT_ID, lookup(col(RUNNER_UP), ids))
        .withColumn(CONFIDENCE, confidence)
        .withColumn(BORDERLINE, AssignmentConfidence.borderline(confidence, analysis.borderlineConfidence()))
        .withColumn(REASONS, AssignmentConfidence.reasons(model, CLUSTER, RUNNER_UP))
        .drop(CLUSTER, RUNNER_UP, RUNNER_UP_DISTANCE)
        .persist(StorageLevel.MEMORY_AND_DISK());

    SegmentProfiles.Result profiles = SegmentProfiles.compute(segmented, totals, SEGMENT_ID, numeric, categorical,
        revenueCol, BORDERLINE);
    KSelection.smallSegmentWarnings(profiles.profiles(), analysis.minSegmentShare()).forEach(LOG::warn);
    Map<Integer, SegmentNamer.SegmentName> explained = SegmentNamer.explain(clusteredOnly(profiles.profiles(),
        clustered));
    Map<Integer, String> names = new LinkedHashMap<>();
    explained.forEach((id, name) -> names.put(id, name.name()));
    LOG.info("segments: {}", names);
    Dataset<Row> named = segmented.withColumn(SEGMENT_NAME, lookup(col(SEGMENT_ID), names));
    Dataset<Row> profileTable = profiles.table()
        .withColumn(SEGMENT_NAME, lookup(col(SEGMENT_ID), names))
        .withColumn(StableSegmentIds.HIGH_WATER_COLUMN, lit(StableSegmentIds.highestIdUsed(highestIdBefore, ids)));

    stages.begin("FAMD");
    Famd.Result famd = Famd.compute(named, clustered, categorical, clusteredTotals, profiles.valueCounts());
    // No job of its own: the report's first query computes it.
    Dataset<Row> customers = famd.rows().persist(StorageLevel.MEMORY_AND_DISK());
    return new Result(model, choice, silhouette, customers, profileTable, profiles.profiles(), names, explained,
        famd.inertiaShares(), profiles.borderlineShares(), segmented);
  }

  /**
   * The profiles without the numeric features left out of the clustering, for the names: a feature that repeats a
   * clustered one would name one trait twice.
   */
  static List<SegmentProfile> clusteredOnly(List<SegmentProfile> profiles, List<String> clustered) {
    return profiles.stream().map(p -> new SegmentProfile(p.segmentId(), p.size(), p.share(), p.revenueShare(),
        p.numeric().stream().filter(n -> clustered.contains(n.feature())).toList(), p.categorical())).toList();
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
