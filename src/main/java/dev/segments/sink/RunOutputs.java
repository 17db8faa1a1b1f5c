package dev.segments.sink;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Everything one run publishes: its tables by name (see {@link OutputTable}), each already carrying a
 * {@code run_date} column equal to {@code runDate}, plus files such as the HTML report.
 *
 * @param runId unique id of the run, also used to label cloud jobs
 * @param runDate the as-of date; a rerun of the same date replaces that date's rows and nothing else
 * @param tables table name to rows
 * @param files file name to content, written beside the tables (the report); may be empty
 */
public record RunOutputs(String runId, LocalDate runDate, Map<String, Dataset<Row>> tables, Map<String, byte[]> files) {

  public RunOutputs {
    Objects.requireNonNull(runId, "run id");
    Objects.requireNonNull(runDate, "run date");
    tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }
}
