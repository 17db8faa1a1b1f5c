package dev.segments.sink;

/**
 * Where a run's outputs go (local Parquet + DuckDB, BigQuery). Publishing is all or nothing: when it fails, readers
 * still see the previous outputs unchanged; when it succeeds, the run date's rows are replaced and every other
 * date's rows are kept.
 */
public interface Warehouse {

  void publish(RunOutputs outputs);

  /** A short description for the log ("local folder out"), with no credentials in it. */
  String describe();
}
