package dev.segments.report;

import java.time.YearMonth;
import java.util.Objects;

/** Total premium a segment's customers bought in one calendar month. */
public record MonthlyPremium(YearMonth month, int segmentId, double premium) {

  public MonthlyPremium {
    Objects.requireNonNull(month, "month");
    if (!Double.isFinite(premium)) {
      throw new IllegalArgumentException("premium of segment " + segmentId + " in " + month + " is not finite: "
          + premium);
    }
  }
}
