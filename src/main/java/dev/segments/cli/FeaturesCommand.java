package dev.segments.cli;

import dev.segments.config.PipelineConfig;
import dev.segments.features.FeatureSpec;
import dev.segments.features.FeatureTable;
import dev.segments.features.FeatureTableBuilder;
import dev.segments.features.FeatureTableChecks;
import dev.segments.ingest.IngestResult;
import dev.segments.pipeline.Endpoints;
import dev.segments.pipeline.IngestStage;
import dev.segments.pipeline.SparkSessions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Shows the feature spec a run uses, or proposes one for a new sheet layout. */
@Command(name = "features", mixinStandardHelpOptions = true,
    description = {"Print the feature spec (YAML, ready for the `features:` key of a config file).",
        "Without --infer: the spec the run would use (the config's, or the default for the default layout).",
        "With --infer: read the sheets, check them against the contract, and propose a spec for their layout "
        + "(number columns as numeric features, categories with 2-50 values as categorical ones, sales count, "
        + "sum and mean of the amount, recency, tenure, favourite product attributes).",
        "With --check: also build the feature table from the sheets and list, as comments after the spec, what the run "
        + "would leave out of the clustering."})
public final class FeaturesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options = new ConfigOptions();

  @Option(names = "--infer", description = "Propose a spec from the sheets' layout instead of printing the configured one.")
  boolean infer;

  @Option(names = "--check", description = "Read the sheets, build the feature table and list after the spec (as"
      + " YAML comments) the features a run leaves out of the clustering: categories with too many values"
      + " (clustering.max_levels, max_level_share) and numeric features that repeat an earlier one"
      + " (clustering.max_correlation).")
  boolean check;

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    PrintWriter out = spec.commandLine().getOut();
    if (!infer && !check) {
      out.print(config.features().toYaml());
      return 0;
    }
    SparkSession spark = SparkSessions.start("segment features", config.spark().master(), config.spark().conf());
    IngestResult ingested = IngestStage.ingest(spark, Endpoints.source(config), config.contract(), config.asOf());
    FeatureSpec features = infer ? FeatureSpec.inferFrom(config.contract(), ingested.customers())
        : config.checkedFeatures();
    out.print(features.toYaml());
    if (check) {
      leftOut(config, FeatureTableBuilder.build(ingested, config.contract(), features, config.asOf()))
          .forEach(line -> out.println("# " + line));
    }
    return 0;
  }

  /** What the run's checks leave out of the clustering, one line each, or a line saying nothing is. */
  static List<String> leftOut(PipelineConfig config, FeatureTable table) {
    FeatureTableChecks.Checked checked = FeatureTableChecks.checked(table,
        FeatureTableChecks.summarise(table, config.clustering().maxCorrelation()), config.clustering().maxLevels(),
        config.clustering().maxLevelShare(), config.clustering().maxCorrelation());
    List<String> lines = new ArrayList<>();
    table.categoricalFeatures().stream().filter(c -> !checked.table().categoricalFeatures().contains(c))
        .forEach(c -> lines.add("left out of the clustering and the outputs: " + c + " (more distinct values than"
            + " clustering.max_levels or max_level_share allows)"));
    checked.correlated().forEach(c -> lines.add("left out of the clustering, kept in the profiles and"
        + " customer_segments: " + c.describe() + ", above clustering.max_correlation "
        + config.clustering().maxCorrelation()));
    return lines.isEmpty() ? List.of("nothing left out of the clustering") : lines;
  }
}
