package dev.segments.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Every Spark job run while it is registered, in order of completion, with its call site (the name of its result
 * stage, e.g. {@code collectAsMap at KMeans.scala:338}), its start and end times, and the executor CPU time of its
 * tasks. MLlib does not report the time of its iterations, but each iteration is one job with a known call site.
 */
final class JobDurations extends SparkListener implements AutoCloseable {
  /**
   * One finished job: its call site, its start and end in milliseconds since the epoch, and the CPU nanoseconds its
   * tasks spent in executor threads (deserialising and running them; the driver's scheduling is not in it).
   */
  record Job(int id, String callSite, long startMillis, long endMillis, long executorCpuNanos, long runMillis,
             long gcMillis) {
    double seconds() {
      return (endMillis - startMillis) / 1000.0;
    }
  }

  private final SparkContext sc;
  private final Map<Integer, Job> started = new HashMap<>();
  private final Map<Integer, Integer> jobOfStage = new HashMap<>();
  private final Map<Integer, long[]> taskTotals = new HashMap<>();
  private final List<Job> finished = new ArrayList<>();

  JobDurations(SparkContext sc) {
    this.sc = sc;
    sc.addSparkListener(this);
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart jobStart) {
    String callSite = "?";
    int resultStage = -1;
    for (StageInfo stage : CollectionConverters.asJava(jobStart.stageInfos())) {
      jobOfStage.put(stage.stageId(), jobStart.jobId());
      if (stage.stageId() > resultStage) {
        resultStage = stage.stageId();
        callSite = stage.name();
      }
    }
    started.put(jobStart.jobId(), new Job(jobStart.jobId(), callSite, jobStart.time(), -1, 0, 0, 0));
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    Integer job = jobOfStage.get(taskEnd.stageId());
    if (job != null && taskEnd.taskMetrics() != null) {
      long[] totals = taskTotals.computeIfAbsent(job, j -> new long[3]);
      totals[0] += taskEnd.taskMetrics().executorCpuTime() + taskEnd.taskMetrics().executorDeserializeCpuTime();
      totals[1] += taskEnd.taskMetrics().executorRunTime() + taskEnd.taskMetrics().executorDeserializeTime();
      totals[2] += taskEnd.taskMetrics().jvmGCTime();
    }
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd jobEnd) {
    Job start = started.remove(jobEnd.jobId());
    if (start != null) {
      long[] totals = taskTotals.getOrDefault(jobEnd.jobId(), new long[3]);
      taskTotals.remove(jobEnd.jobId());
      finished.add(new Job(start.id(), start.callSite(), start.startMillis(), jobEnd.time(), totals[0], totals[1],
          totals[2]));
    }
  }

  /** The jobs finished so far, once every event so far has been delivered. */
  List<Job> jobs() {
    try {
      sc.listenerBus().waitUntilEmpty();
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark listener events were not delivered in time", e);
    }
    synchronized (this) {
      return List.copyOf(finished);
    }
  }

  @Override
  public void close() {
    sc.removeSparkListener(this);
  }
}
