package dev.segments.cli;

import dev.segments.bench.ClusteringBenchmark;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** Measures K-Prototypes against MLlib KMeans and a single-thread floor in the same run (see BENCHMARKS.md). */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {PipelineBenchCommand.class, KSearchBenchCommand.class},
    description = {"Benchmark K-Prototypes on generated rows (6 numeric + 4 categorical columns, k=8) against Spark "
        + "MLlib KMeans on the same rows (10 numeric columns) and a single-thread pass over the same arrays.",
        "The last line is: RESULT n=.. kproto_s_per_iter=.. mllib_s_per_iter=.. ratio_vs_mllib=.. "
        + "floor_s_per_pass=.. cache_bytes_per_row=..",
        "Run with enough driver memory for large n (SEGMENT_HEAP=16g bin/segment bench ...).",
        "`bench pipeline [run options]` measures a whole pipeline run stage by stage; `bench ksearch` the k search"
            + " in shared passes against one fit per k."})
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--rows", defaultValue = "1000000", description = "Rows to generate (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--iterations", defaultValue = "10", description = "Iterations timed (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--master", defaultValue = "local[2]",
      description = "Spark master (default: ${DEFAULT-VALUE}, the CI machine's 2 cores).")
  String master;

  @Override
  public Integer call() {
    SparkSession spark = SparkSessions.start("segment bench", master, Map.of());
    spec.commandLine().getOut().println(ClusteringBenchmark.run(spark, rows, iterations, seed).resultLine());
    return 0;
  }
}
