package dev.segments.config;

/** Where a run publishes its outputs (key {@code sink}). */
public enum Sink {
  /** Parquet, a DuckDB file and the HTML report under the output folder */
  LOCAL,
  /** tables and views in a BigQuery dataset */
  BIGQUERY;

  /** The value as the config writes it ({@code local}). */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
