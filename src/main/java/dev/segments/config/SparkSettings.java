package dev.segments.config;

import java.util.Map;

/** The {@code spark} section of the config: the master for local runs and extra Spark settings. */
public record SparkSettings(String master, Map<String, String> conf) {

  public SparkSettings {
    conf = conf == null ? Map.of() : Map.copyOf(conf);
  }
}
