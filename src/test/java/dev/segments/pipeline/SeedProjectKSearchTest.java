package dev.segments.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.SharedDatasets;
import dev.segments.analysis.KSearch;
import dev.segments.cluster.KPrototypesModel;
import dev.segments.cluster.KPrototypesRange;
import dev.segments.config.ConfigLoader;
import dev.segments.config.PipelineConfig;
import dev.segments.features.FeatureTable;
import dev.segments.features.FeatureTableBuilder;
import dev.segments.ingest.ContractValidator;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.IngestResult;
import dev.segments.ingest.SheetContract;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The k search on the users' own sheets (3,446 customers), default config, run date 2025-12-14, read and featurised
 * as a run does. Before the shared search, k=5 (14,571.9) cost more than k=4 (13,004.7): a start stuck in a poor local
 * optimum, drawn in the report's elbow chart; a run now refits it from k=4 (to 12,671.6, see BENCHMARKS.md). The
 * table built here (not joined to revenue as in a run) gave k=5 other starts when this was written (12,227 with no
 * refit), so the test checks what the rule guarantees whatever the starts: the cost falls with every k.
 */
class SeedProjectKSearchTest {

  @Test
  void theCostFallsWithEveryKAndEveryKHasAStability() {
    SparkSession spark = LocalSpark.session();
    PipelineConfig config = ConfigLoader.load(ConfigLoader.tree(null, List.of(
        "input=" + SharedDatasets.folder("seed_project"), "as_of=2025-12-14")), Clock.systemUTC());
    DataContract contract = config.contract();
    List<String> sheets = contract.sheets().stream().map(SheetContract::name).toList();
    IngestResult ingested = ContractValidator.validate(Endpoints.source(config).read(spark, sheets), contract,
        config.asOf());
    FeatureTable features = FeatureTableBuilder.build(ingested, contract,
        config.checkedFeatures(), config.asOf());
    Dataset<Row> rows = features.rows().localCheckpoint();

    KPrototypesRange range = KSearch.fit(SegmentStep.estimator(config.clustering(), features.numericFeatures(),
        features.categoricalFeatures()), rows, config.clustering().candidateKs(), false);

    assertEquals(9, range.models().size(), "k = 2..10: " + range.skipped());
    double below = Double.POSITIVE_INFINITY;
    for (Map.Entry<Integer, KPrototypesModel> fitted : range.models().entrySet()) {
      double cost = fitted.getValue().cost();
      assertTrue(cost <= below, "k=" + fitted.getKey() + " costs " + cost + ", more than " + below);
      below = cost;
      double stability = range.stability().get(fitted.getKey());
      assertTrue(stability >= -1 && stability <= 1, "k=" + fitted.getKey() + " stability " + stability);
    }
  }
}
