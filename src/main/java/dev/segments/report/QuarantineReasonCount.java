package dev.segments.report;

import java.util.Objects;

/** How many rows of a sheet were quarantined for one reason on one column. */
public record QuarantineReasonCount(String sheet, String column, String reason, long rows) {

  public QuarantineReasonCount {
    Objects.requireNonNull(sheet, "sheet");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(reason, "reason");
  }
}
