package dev.segments.cli;

import dev.segments.config.PipelineConfig;
import dev.segments.pipeline.Pipeline;
import dev.segments.pipeline.SparkSessions;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The nightly job. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the whole pipeline: read the sheets, check the data contract (bad rows go to the "
        + "quarantine table), build the feature table, cluster with K-Prototypes (choosing k when --k is auto), "
        + "profile, name and match segments to the previous run, and publish tables, views and report.html.",
        "With no options it runs on the bundled sample data (data/sample) into out/. "
        + "A failed run leaves the previous outputs as they were."})
public final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options = new ConfigOptions();

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    SparkSession spark = SparkSessions.start("segment run " + config.runId(), config.spark().master(),
        config.spark().conf());
    Pipeline.Summary summary = new Pipeline(config, spark, Clock.systemUTC()).run();
    PrintWriter out = spec.commandLine().getOut();
    summary.dryRunPlan().ifPresent(out::println);
    out.printf("run %s: %d customers in %d segments (Gower silhouette %.3f); %d rows read, %d quarantined;"
            + " %.1f s; published to %s%n",
        summary.runId(), summary.customers(), summary.k(), summary.silhouette(), summary.rowsRead(),
        summary.rowsQuarantined(), summary.duration().toMillis() / 1000.0, summary.publishedTo());
    return 0;
  }
}
