package dev.segments.sink;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where a run's outputs go (local Parquet + DuckDB, BigQuery). Publishing is all or nothing: when it fails, readers
 * still see the previous outputs unchanged; when it succeeds, the run date's rows are replaced and every other
 * date's rows are kept.
 */
public interface Warehouse {

  /**
   * Called before a run does any work: checks that it can publish here and holds what publishing needs until the
   * returned reservation is closed, so a run that could not publish fails in seconds rather than after the whole
   * run. The default checks nothing.
   */
  default Reservation reserve() {
    return () -> { };
  }

  /**
   * Called before a run reads any sheet, a dry run too: checks what reading the previous outputs needs (BigQuery:
   * credentials), so a run that could not read them fails in seconds. Writes nothing. The default checks nothing.
   */
  default void checkReadable() {}

  /** What {@link #reserve} holds; closing it releases it. */
  interface Reservation extends AutoCloseable {
    @Override
    void close();
  }

  void publish(RunOutputs outputs);

  /**
   * The published rows of {@code table} for the latest run date before {@code runDate}: what the previous run
   * wrote, so tonight's segments can keep its ids. Empty when nothing earlier was published.
   */
  default Optional<Dataset<Row>> latestBefore(String table, LocalDate runDate) {
    return recentBefore(table, runDate, 1);
  }

  /**
   * The published rows of {@code table} for the latest {@code nights} run dates before {@code runDate} (the history
   * a night is compared with: model_runs of the last week). Empty when nothing earlier was published.
   */
  Optional<Dataset<Row>> recentBefore(String table, LocalDate runDate, int nights);

  /**
   * The published rows of a small table (model_runs, night_changes) for {@code runDate}, read without Spark, each
   * row a map from column name to value; empty when the table or the date is not there. For {@code segment status}.
   */
  List<Map<String, Object>> publishedRows(String table, LocalDate runDate);

  /** Every table and view {@link #publish} would write, with schema and target; writes nothing (--dry-run). */
  String describePlan(RunOutputs outputs);

  /** A short description for the log ("local folder out"), with no credentials in it. */
  String describe();
}
