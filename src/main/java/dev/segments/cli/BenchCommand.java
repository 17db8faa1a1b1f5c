package dev.segments.cli;

import dev.segments.bench.ClusteringBenchmark;
import dev.segments.bench.ScalingQuality;
import dev.segments.pipeline.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Measures K-Prototypes against MLlib KMeans and a single-thread floor in the same run (see BENCHMARKS.md). */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {PipelineBenchCommand.class, KSearchBenchCommand.class},
    description = {"Benchmark K-Prototypes on generated rows (6 numeric + 4 categorical columns, k=8) against Spark "
        + "MLlib KMeans on the same rows (10 numeric columns) and a single-thread pass over the same arrays.",
        "The last line is: RESULT n=.. kproto_s_per_iter=.. mllib_s_per_iter=.. ratio_vs_mllib=.. "
        + "floor_s_per_pass=.. cache_bytes_per_row=..",
        "Run with enough driver memory for large n (SEGMENT_HEAP=16g bin/segment bench ...).",
        "With --quality it measures segment quality instead of speed: how well each numeric scaling recovers known "
            + "groups (adjusted Rand index) on generated sheets of several shapes and on the public data sets with "
            + "classes, printed as the Markdown table of QUALITY.md.",
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

  @Option(names = "--quality", description = "Measure planted-group recovery per scaling instead of speed.")
  boolean quality;

  @Option(names = "--seeds", defaultValue = "5",
      description = "With --quality: seeds per configuration (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--datasets", paramLabel = "DIR",
      description = "With --quality: the folder holding credit_approval, heart_disease, german_credit and "
          + "soybean_small; without it only generated data is measured.")
  Path datasets;

  @Option(names = "--only", paramLabel = "TEXT",
      description = "With --quality: measure only the configurations whose name holds TEXT.")
  String only;

  @Override
  public Integer call() throws Exception {
    if (quality) {
      // Small tables: the pipeline's shuffle width, not Spark's 200.
      SparkSession spark = SparkSessions.start("segment bench --quality", master,
          Map.of("spark.sql.shuffle.partitions", "8"));
      Path work = Files.createTempDirectory("segment-quality");
      try {
        spec.commandLine().getOut().print(ScalingQuality.markdown(ScalingQuality.run(spark, datasets, work, seeds, only),
            seeds));
      } finally {
        try (var paths = Files.walk(work)) {
          for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        }
      }
      return 0;
    }
    if (iterations < 2 || rows < 1) {
      throw new ParameterException(spec.commandLine(), "--iterations must be at least 2 and --rows at least 1");
    }
    SparkSession spark = SparkSessions.start("segment bench", master, Map.of());
    spec.commandLine().getOut().println(ClusteringBenchmark.run(spark, rows, iterations, seed).resultLine());
    return 0;
  }
}
