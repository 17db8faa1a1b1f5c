package dev.segments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the benchmark turns Spark jobs into MLlib's seconds per iteration, and the floor's sanity. */
class ClusteringBenchmarkTest {

  private static JobDurations.Job job(int id, String site, long start, long end) {
    return new JobDurations.Job(id, site, start, end, 1_000_000_000L, end - start, 0);
  }

  @Test
  void mllibIterationsAreTheCollectAsMapJobsFromFirstStartToLastEnd() {
    List<JobDurations.Job> jobs = List.of(
        job(1, "first at KMeans.scala:410", 0, 4000),
        job(2, "takeSample at KMeans.scala:380", 4000, 9000),
        job(3, "collectAsMap at KMeans.scala:331", 10_000, 10_300),
        job(4, "collectAsMap at KMeans.scala:331", 10_350, 10_650),
        job(5, "collectAsMap at KMeans.scala:331", 10_700, 11_000),
        // The training summary's cluster sizes, after the loop: not an iteration.
        job(6, "collect at ClusteringSummary.scala:49", 11_000, 13_000));
    // 10.000 s .. 11.000 s over 3 iterations, the gaps between jobs (MLlib's driver work) included.
    ClusteringBenchmark.Loop loop = ClusteringBenchmark.Loop.of(jobs, ClusteringBenchmark.MLLIB_ITERATION_JOB, 3);
    assertEquals(1.0 / 3, loop.secondsPerIteration(), 1e-12);
    assertEquals(0.3, loop.medianJobSeconds(), 1e-12);
    assertEquals(1.0, loop.cpuSecondsPerIteration(), 1e-12);
  }

  @Test
  void aMismatchBetweenIterationsAndJobsFailsRatherThanGuessing() {
    List<JobDurations.Job> jobs = List.of(job(1, "collectAsMap at KMeans.scala:331", 0, 100));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ClusteringBenchmark.Loop.of(jobs, ClusteringBenchmark.MLLIB_ITERATION_JOB, 2));
    assertTrue(e.getMessage().contains("expected 2 loop jobs"), e.getMessage());
  }

  @Test
  void floorTimesAPassOverTheRows() {
    ClusteringBenchmark.Floor floor = ClusteringBenchmark.floorPass(20_000, 1);
    assertTrue(floor.seconds() > 0 && floor.cpuSeconds() > 0, floor.toString());
  }
}
