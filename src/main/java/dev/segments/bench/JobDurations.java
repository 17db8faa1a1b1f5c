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

/**
 * Wall time of every Spark job run while it is registered, in order of completion. MLlib does not report the time
 * of its iterations, but each iteration is one job, so the last {@code numIter} jobs of a KMeans fit are its
 * iterations.
 */
final class JobDurations extends SparkListener implements AutoCloseable {
  private final SparkContext sc;
  private final Map<Integer, Long> started = new HashMap<>();
  private final List<Double> seconds = new ArrayList<>();

  JobDurations(SparkContext sc) {
    this.sc = sc;
    sc.addSparkListener(this);
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart jobStart) {
    started.put(jobStart.jobId(), jobStart.time());
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd jobEnd) {
    Long start = started.remove(jobEnd.jobId());
    if (start != null) {
      seconds.add((jobEnd.time() - start) / 1000.0);
    }
  }

  /** Total seconds of the last {@code count} jobs, once every event so far has been delivered. */
  double lastJobs(int count) {
    try {
      sc.listenerBus().waitUntilEmpty();
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark listener events were not delivered in time", e);
    }
    synchronized (this) {
      if (seconds.size() < count) {
        throw new IllegalStateException("expected at least " + count + " jobs, saw " + seconds.size());
      }
      return seconds.subList(seconds.size() - count, seconds.size()).stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  @Override
  public void close() {
    sc.removeSparkListener(this);
  }
}
