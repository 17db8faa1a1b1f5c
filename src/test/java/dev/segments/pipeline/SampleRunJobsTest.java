package dev.segments.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.SamplePipelineRun;
import dev.segments.bench.JobCounter;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run of the bundled sample costs in Spark jobs (issue 19): at most 10 in every stage but the k search (27 in
 * all those stages on the issue-19 branch, 87 before it; the night's changes and the product affinity add a few). The
 * k search is one
 * job per shared Lloyd pass, and how many passes its starts take depends on the data and the partitioning (26 jobs
 * in `bench pipeline`, 39 in this test JVM's session), so it is not bounded here: issue 19's 50 in all is not reached.
 * Jobs are counted by the bench's listener; this is no timing test. The run has the default config (k 2..10) and
 * starts, as `bin/segment` does, with adaptive query execution on, Spark's default.
 */
class SampleRunJobsTest {
  private static final int MAX_JOBS_PER_STAGE = 10;
  private static final String ADAPTIVE = "spark.sql.adaptive.enabled";

  @TempDir Path output;

  @Test
  void noStageButTheKSearchLaunchesMoreThanTenJobs() {
    SparkSession spark = LocalSpark.session();
    String adaptive = spark.conf().get(ADAPTIVE);
    Map<String, JobCounter.Count> counts;
    spark.conf().set(ADAPTIVE, "true");
    try (JobCounter jobs = new JobCounter(spark.sparkContext(), RunStages.PROPERTY)) {
      SamplePipelineRun.Result run = SamplePipelineRun.execute("run", "--input", SamplePipelineRun.SAMPLE.toString(),
          "--output", output.toString(), "--as-of", SamplePipelineRun.AS_OF, "--master", "local[2]");
      assertEquals(0, run.exitCode(), run.printed());
      counts = jobs.counts();
      assertEquals("true", spark.conf().get(ADAPTIVE), "the run leaves the session's adaptive setting as it was");
    } finally {
      spark.conf().set(ADAPTIVE, adaptive);
    }
    counts.forEach((stage, count) -> assertTrue(stage.equals("k search") || count.jobs() <= MAX_JOBS_PER_STAGE,
        "stage " + stage + " launched " + count.jobs() + " jobs: " + counts));
  }
}
