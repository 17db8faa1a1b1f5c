package dev.segments.cli;

import dev.segments.config.PipelineConfig;
import dev.segments.pipeline.NightStatus;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What a published night did, for operators: the nightly workflow appends it to the job summary. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Print the night of --as-of (default today in Europe/London) as Markdown, read back from the "
        + "configured sink (model_runs and night_changes in BigQuery, or the local segments.duckdb): the run's "
        + "figures, the alerts it breached, customers per segment with the moves since the previous night, each "
        + "feature's PSI and the quarantine rate. Starts no Spark.",
        "Exits 1 with \"no night published for <date>\" when the sink holds no run for the date."})
public final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options = new ConfigOptions();

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    Optional<String> markdown = NightStatus.markdown(config);
    PrintWriter out = spec.commandLine().getOut();
    if (markdown.isEmpty()) {
      out.println("no night published for " + config.asOf());
      return SegmentCli.EXIT_FAILURE;
    }
    out.print(markdown.get());
    return 0;
  }
}
