package dev.segments.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stages of a run (ingest, features, k search, ...), timed on the driver's wall clock, with every Spark job
 * tagged by the stage it ran in (the local property {@link #PROPERTY}), so the bench can count jobs per stage.
 */
public final class RunStages {
  private static final Logger LOG = LoggerFactory.getLogger(RunStages.class);
  public static final String PROPERTY = "segments.stage";

  private final SparkContext sc;
  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private String current;
  private long startedAt;

  RunStages(SparkContext sc) {
    this.sc = sc;
  }

  /** Ends the current stage, if any, and starts {@code stage}. */
  void begin(String stage) {
    end();
    current = stage;
    startedAt = System.nanoTime();
    sc.setLocalProperty(PROPERTY, stage);
  }

  /** Ends the current stage; the time of a stage begun twice adds up. */
  void end() {
    if (current != null) {
      double elapsed = (System.nanoTime() - startedAt) / 1e9;
      seconds.merge(current, elapsed, Double::sum);
      LOG.info("stage {} took {} s", current, String.format("%.2f", elapsed));
      current = null;
      sc.setLocalProperty(PROPERTY, null);
    }
  }

  /** Seconds per stage, in the order the stages first began. */
  Map<String, Double> seconds() {
    return new LinkedHashMap<>(seconds);
  }
}
