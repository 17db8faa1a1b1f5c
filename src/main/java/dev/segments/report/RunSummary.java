package dev.segments.report;

import dev.segments.contract.SheetCounts;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The chosen model and the run's bookkeeping, as shown in the report's header and data-quality part.
 *
 * @param k number of segments chosen
 * @param gamma weight of a categorical mismatch against squared numeric distance
 * @param cost total within-segment cost of the chosen model
 * @param silhouette mean silhouette of the chosen model; {@code NaN} when not computed
 * @param iterations iterations the chosen model ran
 * @param duration wall time of the whole run
 * @param sheets rows read, kept and quarantined per input sheet
 */
public record RunSummary(int k, double gamma, double cost, double silhouette, int iterations, Duration duration,
    List<SheetCounts> sheets) {

  public RunSummary {
    Objects.requireNonNull(duration, "duration");
    sheets = List.copyOf(sheets);
  }
}
