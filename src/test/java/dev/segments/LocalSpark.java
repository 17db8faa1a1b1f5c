package dev.segments;

import org.apache.spark.sql.SparkSession;

/**
 * One real local Spark session shared by the tests of a JVM: starting Spark costs seconds, and surefire runs every
 * test class in one JVM. Tests must not stop it.
 */
public final class LocalSpark {
  private LocalSpark() {}

  private static SparkSession session;

  public static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2]")
          .appName("customer-segments-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.default.parallelism", "4")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.adaptive.enabled", "false")
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }
}
