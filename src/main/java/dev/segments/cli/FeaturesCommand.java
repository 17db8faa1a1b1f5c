package dev.segments.cli;

import dev.segments.config.PipelineConfig;
import dev.segments.features.FeatureSpec;
import dev.segments.ingest.ContractValidator;
import dev.segments.ingest.IngestResult;
import dev.segments.ingest.SheetContract;
import dev.segments.pipeline.Endpoints;
import dev.segments.pipeline.SparkSessions;
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
        + "sum and mean of the amount, recency, tenure, favourite product attributes)."})
public final class FeaturesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options = new ConfigOptions();

  @Option(names = "--infer", description = "Propose a spec from the sheets' layout instead of printing the configured one.")
  boolean infer;

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    if (!infer) {
      spec.commandLine().getOut().print(config.features().toYaml());
      return 0;
    }
    SparkSession spark = SparkSessions.start("segment features", config.spark().master(), config.spark().conf());
    var raw = Endpoints.source(config).read(spark,
        config.contract().sheets().stream().map(SheetContract::name).toList());
    IngestResult ingested = ContractValidator.validate(raw, config.contract(), config.asOf());
    spec.commandLine().getOut().print(FeatureSpec.inferFrom(config.contract(), ingested.customers()).toYaml());
    return 0;
  }
}
