package dev.segments.cli;

import dev.segments.bench.JobCounter;
import dev.segments.bench.PeakHeap;
import dev.segments.config.PipelineConfig;
import dev.segments.pipeline.Pipeline;
import dev.segments.pipeline.RunStages;
import dev.segments.pipeline.SparkSessions;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** One pipeline run, measured stage by stage: wall time, Spark jobs and stages, and the driver's peak heap. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the whole pipeline (same options as `run`) and print, per stage (ingest, features, k search, "
        + "silhouette, profiles, FAMD, report, publish), its wall time and the Spark jobs and stages it launched, "
        + "counted by a SparkListener, then the totals and the peak heap of the driver JVM.",
        "The last line is: RESULT jobs=.. stages=.. seconds=.. peak_heap_mb=.."})
public final class PipelineBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options = new ConfigOptions();

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    SparkSession spark = SparkSessions.start("segment bench pipeline " + config.runId(), config.spark().master(),
        config.spark().conf());
    PrintWriter out = spec.commandLine().getOut();
    try (PeakHeap heap = PeakHeap.start();
         JobCounter jobs = new JobCounter(spark.sparkContext(), RunStages.PROPERTY)) {
      Pipeline.Summary summary = new Pipeline(config, spark, Clock.systemUTC()).run();
      Map<String, JobCounter.Count> counts = jobs.counts();
      out.printf("%-12s %9s %6s %7s%n", "stage", "seconds", "jobs", "stages");
      int totalJobs = 0;
      int totalStages = 0;
      double totalSeconds = 0;
      for (Map.Entry<String, Double> stage : summary.stageSeconds().entrySet()) {
        JobCounter.Count count = counts.getOrDefault(stage.getKey(), new JobCounter.Count(0, 0));
        out.printf("%-12s %9.2f %6d %7d%n", stage.getKey(), stage.getValue(), count.jobs(), count.stages());
        totalSeconds += stage.getValue();
      }
      for (JobCounter.Count count : counts.values()) {
        totalJobs += count.jobs();
        totalStages += count.stages();
      }
      jobs.callSites().forEach((stage, sites) -> sites.forEach((site, n) ->
          out.printf("  %-12s %4d x %s%n", stage, n, site)));
      JobCounter.Count untagged = counts.get("(none)");
      if (untagged != null) {
        out.printf("%-12s %9s %6d %7d%n", "(untagged)", "", untagged.jobs(), untagged.stages());
      }
      out.printf("RESULT customers=%d rows_read=%d k=%d jobs=%d stages=%d seconds=%.1f peak_heap_mb=%d%n",
          summary.customers(), summary.rowsRead(), summary.k(), totalJobs, totalStages, totalSeconds,
          heap.peakBytes() / (1024 * 1024));
    }
    return 0;
  }
}
