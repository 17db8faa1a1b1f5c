package dev.segments.sink;

import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where a run's outputs go (local Parquet + DuckDB, BigQuery). Publishing is all or nothing: when it fails, readers
 * still see the previous outputs unchanged; when it succeeds, the run date's rows are replaced and every other
 * date's rows are kept.
 */
public interface Warehouse {

  void publish(RunOutputs outputs);

  /**
   * The published rows of {@code table} for the latest run date before {@code runDate}: what the previous run
   * wrote, so tonight's segments can keep its ids. Empty when nothing earlier was published.
   */
  Optional<Dataset<Row>> latestBefore(String table, LocalDate runDate);

  /** Every table and view {@link #publish} would write, with schema and target; writes nothing (--dry-run). */
  String describePlan(RunOutputs outputs);

  /** A short description for the log ("local folder out"), with no credentials in it. */
  String describe();
}
