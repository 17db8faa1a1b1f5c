package dev.segments.report;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What changed since the previous night, as the report and {@code segment status} show it.
 *
 * @param previousRunDate the night compared against; null on the first night
 * @param rows the figures, segments first, then features, quarantine and model
 */
public record NightChanges(LocalDate previousRunDate, List<NightChange> rows) {
  public static final String SEGMENT = "segment";
  public static final String FEATURE = "feature";
  public static final String QUARANTINE = "quarantine";
  public static final String MODEL = "model";
  /** The subject of a figure about every customer rather than one segment or feature. */
  public static final String ALL = "all";

  public NightChanges {
    rows = List.copyOf(rows);
  }

  /** A report with no comparison (a caller that computed none). */
  public static NightChanges none() {
    return new NightChanges(null, List.of());
  }

  /** The figure of {@code kind}, {@code subject} and {@code metric}, when there is one. */
  public Optional<NightChange> find(String kind, String subject, String metric) {
    return rows.stream().filter(r -> r.kind().equals(kind) && r.subject().equals(subject)
        && r.metric().equals(metric)).findFirst();
  }

  /** The figures that breach an alert. */
  public List<NightChange> breaches() {
    return rows.stream().filter(r -> r.alert() != null).toList();
  }

  /** Rows of one kind, in order. */
  public List<NightChange> ofKind(String kind) {
    return rows.stream().filter(r -> r.kind().equals(kind)).toList();
  }
}
