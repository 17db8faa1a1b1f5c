package dev.segments.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import dev.segments.analysis.Famd;
import dev.segments.analysis.ProductAffinity;
import dev.segments.analysis.SegmentNamer;
import dev.segments.analysis.SegmentProfile;
import dev.segments.analysis.StableSegmentIds;
import dev.segments.cluster.ColumnScaling;
import dev.segments.config.PipelineConfig;
import dev.segments.features.FeatureTable;
import dev.segments.features.FeatureTableChecks;
import dev.segments.ingest.IngestResult;
import dev.segments.report.MonthlyPremium;
import dev.segments.report.NightChanges;
import dev.segments.report.ProfileHeatmap;
import dev.segments.report.QuarantineReasonCount;
import dev.segments.report.ReportData;
import dev.segments.report.RunSummary;
import dev.segments.report.ScatterPoint;
import dev.segments.report.SegmentAction;
import dev.segments.report.SegmentInfo;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Gathers the small aggregates the HTML report shows; only these reach the driver, never whole tables. */
final class RunReport {
  private RunReport() {}

  /** Product types on an action card: the segment's first offers. */
  private static final int CARD_PRODUCTS = 3;

  /**
   * @param correlated the numeric features left out of the clustering for repeating another
   * @param affinity the run's segment_product_affinity rows
   * @param offers per segment, the product types it is offered, best first
   * @param customerSegments the customer_segments table, for the cross-sell candidates per segment
   */
  static ReportData data(PipelineConfig config, SegmentStep.Result segments,
      List<FeatureTableChecks.Correlated> correlated, Dataset<Row> customers, Dataset<Row> salesEnriched,
      IngestResult ingested, RunSummary summary, int points, NightChanges changes,
      List<ProductAffinity.Holding> affinity, Map<Integer, List<String>> offers, Dataset<Row> customerSegments) {
    List<SegmentProfile> profiles = segments.profiles();
    Map<Integer, SegmentNamer.SegmentName> explained = segments.explainedNames();
    List<SegmentInfo> infos = profiles.stream()
        .map(p -> new SegmentInfo(p.segmentId(), segments.names().get(p.segmentId()), p.size(), p.share(),
            p.revenueShare(), explained.get(p.segmentId()).explanation(),
            segments.borderlineShares().getOrDefault(p.segmentId(), 0.0)))
        .toList();
    List<ColumnScaling> scaling = new ArrayList<>(segments.model().columnScalings());
    correlated.forEach(c -> scaling.add(new ColumnScaling(c.feature(), String.format(Locale.ROOT,
        "left out of the clustering: r = %.2f with %s (above clustering.max_correlation)", c.correlation(), c.kept()),
        Double.NaN, Double.NaN, Double.NaN)));
    return new ReportData(summary, segments.choice().table(),
        famdSample(customers, points, config.clustering().seed()), segments.famdInertia(), infos,
        heatmap(profiles), premiumByMonth(salesEnriched), quarantineReasons(ingested.quarantine()), scaling,
        changes, actions(profiles, explained, segments.borderlineShares(), affinity, offers, customerSegments));
  }

  private static List<SegmentAction> actions(List<SegmentProfile> profiles,
      Map<Integer, SegmentNamer.SegmentName> explained, Map<Integer, Double> borderlineShares,
      List<ProductAffinity.Holding> affinity,
      Map<Integer, List<String>> offers, Dataset<Row> customerSegments) {
    Map<Integer, Long> candidates = new HashMap<>();
    customerSegments.where(col(OutputTables.NEXT_BEST_PRODUCT).isNotNull())
        .groupBy(col(StableSegmentIds.SEGMENT_ID)).count().collectAsList()
        .forEach(r -> candidates.put(r.getInt(0), r.getLong(1)));
    Map<List<Object>, ProductAffinity.Holding> types = new HashMap<>();
    affinity.stream().filter(h -> h.attribute().equals(OutputTables.PRODUCT_TYPE))
        .forEach(h -> types.put(List.of(h.segmentId(), h.value()), h));
    return profiles.stream().map(p -> new SegmentAction(p.segmentId(),
            explained.get(p.segmentId()).traits().stream().map(t -> t.phrase() + ": " + t.evidence()).toList(),
            borderlineShares.get(p.segmentId()),
            offers.getOrDefault(p.segmentId(), List.of()).stream().limit(CARD_PRODUCTS)
                .map(type -> types.get(List.of(p.segmentId(), type)))
                .map(h -> new SegmentAction.ProductLift(h.value(), h.shareInSegment(), h.lift()))
                .toList(),
            candidates.getOrDefault(p.segmentId(), 0L)))
        .toList();
  }

  private static List<ScatterPoint> famdSample(Dataset<Row> customers, int points, long seed) {
    // Drawn by a hash of seed and customer: rand(seed) draws per partition, so local mode and a cluster would differ.
    return customers.orderBy(xxhash64(lit(seed), col(FeatureTable.CUSTOMER_ID)), col(FeatureTable.CUSTOMER_ID))
        .select(col(Famd.FIRST_COORDINATE), col(Famd.SECOND_COORDINATE), col(StableSegmentIds.SEGMENT_ID))
        .limit(points).collectAsList().stream()
        .map(r -> new ScatterPoint(r.getDouble(0), r.getDouble(1), r.getInt(2)))
        .toList();
  }

  private static ProfileHeatmap heatmap(List<SegmentProfile> profiles) {
    List<String> features = profiles.isEmpty() ? List.of()
        : profiles.get(0).numeric().stream().map(SegmentProfile.Numeric::feature).toList();
    double[][] z = new double[profiles.size()][features.size()];
    double[][] means = new double[profiles.size()][features.size()];
    for (int s = 0; s < profiles.size(); s++) {
      List<SegmentProfile.Numeric> numeric = profiles.get(s).numeric();
      for (int f = 0; f < features.size(); f++) {
        z[s][f] = numeric.get(f).z();
        means[s][f] = numeric.get(f).mean();
      }
    }
    return new ProfileHeatmap(features, profiles.stream().map(SegmentProfile::segmentId).toList(), z, means);
  }

  private static List<MonthlyPremium> premiumByMonth(Dataset<Row> salesEnriched) {
    return salesEnriched
        .groupBy(date_format(col("purchase_date"), "yyyy-MM").as("month"), col(StableSegmentIds.SEGMENT_ID))
        .agg(sum(col("premium")).as("premium"))
        .where(col(StableSegmentIds.SEGMENT_ID).isNotNull())
        .collectAsList().stream()
        .map(r -> new MonthlyPremium(YearMonth.parse(r.getString(0)), r.getInt(1), r.getDouble(2)))
        .toList();
  }

  private static List<QuarantineReasonCount> quarantineReasons(Dataset<Row> quarantine) {
    return quarantine.groupBy(col("sheet"), col("column"), col("rule")).agg(count("*").as("rows"))
        .collectAsList().stream()
        .map(r -> new QuarantineReasonCount(r.getString(0), r.getString(1), r.getString(2), r.getLong(3)))
        .toList();
  }
}
