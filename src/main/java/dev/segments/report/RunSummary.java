package dev.segments.report;

import dev.segments.contract.SheetCounts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One run's record: which run, the chosen model and the rows read. The command's summary line, the report's header
 * and data-quality part and the run's {@code model_runs} row are all built from it.
 *
 * @param runId unique id of the run
 * @param asOf the as-of date of the run
 * @param startedAt when the run started
 * @param version the pipeline version that produced it
 * @param k number of segments chosen
 * @param gamma weight of a categorical mismatch against squared numeric distance
 * @param cost total within-segment cost of the chosen model
 * @param silhouette mean silhouette of the chosen model; {@code NaN} when not computed
 * @param iterations iterations the chosen model ran
 * @param customers customers segmented
 * @param duration wall time of the run up to its report (publishing comes after)
 * @param sheets rows read, kept and quarantined per input sheet
 */
public record RunSummary(String runId, LocalDate asOf, Instant startedAt, String version, int k, double gamma,
    double cost, double silhouette, int iterations, long customers, Duration duration, List<SheetCounts> sheets) {

  public RunSummary {
    Objects.requireNonNull(runId, "run id");
    Objects.requireNonNull(asOf, "as-of date");
    Objects.requireNonNull(startedAt, "start");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(duration, "duration");
    sheets = List.copyOf(sheets);
  }

  /** Rows read from every sheet. */
  public long rowsRead() {
    return SheetCounts.totalRead(sheets);
  }

  /** Rows of every sheet that broke a rule of the contract. */
  public long rowsQuarantined() {
    return SheetCounts.totalQuarantined(sheets);
  }
}
