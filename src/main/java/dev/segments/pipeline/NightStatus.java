package dev.segments.pipeline;

import dev.segments.config.PipelineConfig;
import dev.segments.report.NightChange;
import dev.segments.report.NightChanges;
import dev.segments.sink.OutputTable;
import dev.segments.sink.Warehouse;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code segment status}: a published night's figures and breaches as Markdown, read back from model_runs and
 * night_changes in the configured sink without Spark (the nightly workflow appends it to the job summary).
 */
public final class NightStatus {
  private static final List<String> KINDS = List.of(NightChanges.SEGMENT, NightChanges.FEATURE,
      NightChanges.QUARANTINE, NightChanges.MODEL);

  private NightStatus() {}

  /** The Markdown summary of the night of {@code config.asOf()}; empty when no night is published for that date. */
  public static Optional<String> markdown(PipelineConfig config) {
    // Only publishedRows is read, which needs no Spark session.
    return markdown(Endpoints.warehouse(config, null), config);
  }

  static Optional<String> markdown(Warehouse warehouse, PipelineConfig config) {
    LocalDate date = config.asOf();
    List<Map<String, Object>> runs = warehouse.publishedRows(OutputTable.MODEL_RUNS.tableName(), date);
    if (runs.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> run = runs.get(0);
    NightChanges changes = changes(warehouse.publishedRows(OutputTable.NIGHT_CHANGES.tableName(), date));
    StringBuilder out = new StringBuilder("### Segmentation night of ").append(date).append(": published\n\n");
    long read = number(run, "rows_read").longValue();
    long quarantined = number(run, "rows_quarantined").longValue();
    out.append(String.format(Locale.ROOT, "- run `%s`, version %s, %.0f s%n", run.get("run_id"), run.get("version"),
        number(run, "duration_s")));
    out.append(String.format(Locale.ROOT, "- k = %d segments, silhouette %s, cost %s%n", number(run, "k").intValue(),
        OvernightChanges.figure(number(run, "silhouette")), OvernightChanges.figure(number(run, "cost"))));
    out.append(String.format(Locale.ROOT, "- %d rows read, %d quarantined (%.2f %%)%n", read, quarantined,
        read == 0 ? 0.0 : 100.0 * quarantined / read));
    if (changes.rows().isEmpty()) {
      out.append("\nNo night_changes rows for this date (published before night_changes existed).\n");
      return Optional.of(out.toString());
    }
    out.append(changes.previousRunDate() == null ? "- first night: nothing to compare with\n"
        : "- compared with the night of " + changes.previousRunDate() + "\n");
    List<NightChange> breaches = changes.breaches();
    if (breaches.isEmpty()) {
      out.append("\n**Alerts:** none\n");
    } else {
      out.append("\n**Alerts (warnings; the night was published):**\n\n");
      breaches.forEach(b -> out.append("- ").append(OvernightChanges.describe(b, config.alerts())).append('\n'));
    }
    out.append("\n| Segment | Last night | Tonight | Moved in | Moved out | New | Gone |\n"
        + "|---|---:|---:|---:|---:|---:|---:|\n");
    Map<String, List<NightChange>> bySegment = changes.ofKind(NightChanges.SEGMENT).stream()
        .collect(Collectors.groupingBy(NightChange::subject, java.util.LinkedHashMap::new, Collectors.toList()));
    bySegment.forEach((subject, rows) -> {
      out.append("| ").append(subject);
      out.append(" | ").append(OvernightChanges.figure(value(rows, "customers", true)));
      for (String metric : List.of("customers", "moved_in", "moved_out", "new", "gone")) {
        out.append(" | ").append(OvernightChanges.figure(value(rows, metric, false)));
      }
      out.append(" |\n");
    });
    changes.find(NightChanges.SEGMENT, NightChanges.ALL, "moved_share").ifPresent(moved -> out
        .append("\nReturning customers who changed segment: ").append(OvernightChanges.figure(moved.current()))
        .append('\n'));
    out.append("\n| Feature | PSI |\n|---|---:|\n");
    changes.ofKind(NightChanges.FEATURE).forEach(psi -> out.append("| ").append(psi.subject()).append(" | ")
        .append(OvernightChanges.figure(psi.current())).append(psi.alert() == null ? "" : " ⚠").append(" |\n"));
    changes.find(NightChanges.QUARANTINE, NightChanges.ALL, "rate").ifPresent(rate -> out
        .append("\nQuarantine rate ").append(OvernightChanges.figure(rate.current()))
        .append(" (median of the previous nights ").append(OvernightChanges.figure(rate.previous())).append(")\n"));
    return Optional.of(out.toString());
  }

  private static Double value(List<NightChange> rows, String metric, boolean previous) {
    return rows.stream().filter(r -> r.metric().equals(metric)).findFirst()
        .map(r -> previous ? r.previous() : r.current()).orElse(null);
  }

  /** night_changes rows as read back, in the order the pipeline wrote them: by kind, segments by id, "all" last. */
  static NightChanges changes(List<Map<String, Object>> rows) {
    LocalDate previous = rows.stream().map(r -> r.get("previous_run_date")).filter(d -> d != null).findFirst()
        .map(d -> LocalDate.parse(d.toString().substring(0, 10))).orElse(null);
    List<NightChange> changes = rows.stream()
        .map(r -> new NightChange((String) r.get("kind"), (String) r.get("subject"), (String) r.get("metric"),
            number(r, "previous"), number(r, "current"), number(r, "change"), (String) r.get("alert")))
        .sorted(Comparator.comparing((NightChange c) -> KINDS.indexOf(c.kind()))
            .thenComparing(c -> c.subject().equals(NightChanges.ALL))
            .thenComparing(c -> c.subject().matches("\\d+") ? Long.parseLong(c.subject()) : 0L)
            .thenComparing(NightChange::subject))
        .toList();
    return new NightChanges(previous, changes);
  }

  private static Double number(Map<String, Object> row, String column) {
    Object value = row.get(column);
    return value == null ? null : ((Number) value).doubleValue();
  }
}
