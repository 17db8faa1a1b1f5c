package dev.segments.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.StageInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Counts the Spark jobs and stages launched while it is registered, per value of a local property (the pipeline
 * names the stage of the run it is in with one), so a run's job count is measured, not guessed. Skipped stages (a
 * shuffle's map side already computed by an earlier job) are counted too: the scheduler still plans them.
 */
public final class JobCounter extends SparkListener implements AutoCloseable {
  /** Jobs and stages of one part of the run. */
  public record Count(int jobs, int stages) {}

  private final SparkContext sc;
  private final String property;
  private final Map<String, int[]> counts = new LinkedHashMap<>();
  private final Map<String, Map<String, Integer>> callSites = new LinkedHashMap<>();

  /** @param property the local property whose value names the part of the run a job belongs to */
  public JobCounter(SparkContext sc, String property) {
    this.sc = sc;
    this.property = property;
    sc.addSparkListener(this);
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart jobStart) {
    String part = jobStart.properties() == null ? null : jobStart.properties().getProperty(property);
    int[] count = counts.computeIfAbsent(part == null ? "(none)" : part, p -> new int[2]);
    count[0]++;
    count[1] += jobStart.stageInfos().size();
    String callSite = "?";
    int resultStage = -1;
    for (StageInfo stage : CollectionConverters.asJava(jobStart.stageInfos())) {
      if (stage.stageId() > resultStage) {
        resultStage = stage.stageId();
        callSite = stage.name();
      }
    }
    callSites.computeIfAbsent(part == null ? "(none)" : part, p -> new LinkedHashMap<>()).merge(callSite, 1,
        Integer::sum);
  }

  /** Per part, how many jobs each call site (the name of the job's result stage) launched. */
  public Map<String, Map<String, Integer>> callSites() {
    counts();
    synchronized (this) {
      Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
      callSites.forEach((part, sites) -> out.put(part, new LinkedHashMap<>(sites)));
      return out;
    }
  }

  /** Jobs and stages per part, in order of each part's first job, once every event so far has been delivered. */
  public Map<String, Count> counts() {
    try {
      sc.listenerBus().waitUntilEmpty();
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark listener events were not delivered in time", e);
    }
    synchronized (this) {
      Map<String, Count> out = new LinkedHashMap<>();
      counts.forEach((part, c) -> out.put(part, new Count(c[0], c[1])));
      return out;
    }
  }

  @Override
  public void close() {
    sc.removeSparkListener(this);
  }
}
