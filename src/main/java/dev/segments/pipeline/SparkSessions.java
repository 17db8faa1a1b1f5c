package dev.segments.pipeline;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Builds the Spark session a command runs in. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * Gets or creates the session. {@code master} is used only when none was given by spark-submit or the
   * environment, so the same jar runs locally and on a cluster.
   */
  public static SparkSession start(String appName, String master, Map<String, String> conf) {
    SparkSession.Builder builder = SparkSession.builder().appName(appName)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.showConsoleProgress", "false");
    if (System.getProperty("spark.master") == null && master != null && !master.isBlank()) {
      builder.master(master);
      builder.config("spark.driver.host", System.getProperty("spark.driver.host", "127.0.0.1"));
    }
    conf.forEach(builder::config);
    return builder.getOrCreate();
  }
}
