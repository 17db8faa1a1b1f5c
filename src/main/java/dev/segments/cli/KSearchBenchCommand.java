package dev.segments.cli;

import dev.segments.bench.KSearchBenchmark;
import dev.segments.pipeline.SparkSessions;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The k search in shared passes against one fit per k, in the same run (see BENCHMARKS.md). */
@Command(name = "ksearch", mixinStandardHelpOptions = true,
    description = {"Fit k = 2..10 on generated rows with the pipeline's default settings, once as one search in "
        + "shared passes and once k by k, and compare passes and time.",
        "The last line is: RESULT n=.. search_passes=.. slowest_fit_passes=.. largest_k_fit_passes=.. "
            + "passes_ratio_vs_slowest=.. search_s=.. largest_k_fit_s=.. time_ratio_vs_largest_k=.. ..."})
public final class KSearchBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--rows", defaultValue = "100000", description = "Rows to generate (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--seed", defaultValue = "7", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default: ${DEFAULT-VALUE}).")
  String master;

  @Override
  public Integer call() {
    SparkSession spark = SparkSessions.start("segment bench ksearch", master, Map.of());
    spec.commandLine().getOut().println(KSearchBenchmark.run(spark, rows, seed));
    return 0;
  }
}
