package dev.segments.report;

import java.util.Objects;

/**
 * One figure of what changed since the previous night: a row of the {@code night_changes} table (README, "What
 * changed overnight").
 *
 * @param kind {@code segment}, {@code feature}, {@code quarantine} or {@code model}
 * @param subject the segment id or {@code all}, the feature's name, or {@code all}
 * @param metric what is measured, e.g. {@code customers}, {@code moved_in}, {@code psi}, {@code rate}
 * @param previous last night's value; null on the first night and for figures that only tonight has
 * @param current tonight's value; null when it cannot be measured (a PSI on the first night)
 * @param change {@code current - previous} when both are known
 * @param alert the alert ({@code alerts.*}) this figure breaches; null when within its threshold
 */
public record NightChange(String kind, String subject, String metric, Double previous, Double current,
    Double change, String alert) {

  public NightChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(metric, "metric");
  }

  /** A figure with its change computed from the two values. */
  public static NightChange of(String kind, String subject, String metric, Double previous, Double current) {
    return new NightChange(kind, subject, metric, previous, current,
        previous == null || current == null ? null : current - previous, null);
  }

  /** This figure flagged with the alert it breaches. */
  public NightChange breaching(String alertName) {
    return new NightChange(kind, subject, metric, previous, current, change, alertName);
  }
}
