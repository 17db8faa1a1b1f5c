package dev.segments.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.Locale;

/** How numbers read in the report: grouped thousands, shares as percentages, "n/a" for what was not computed. */
final class DisplayFormat {
  private DisplayFormat() {}

  static final String NOT_AVAILABLE = "n/a";

  static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  static String percent(double share) {
    return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f%%", share * 100) : NOT_AVAILABLE;
  }

  /**
   * Fewer decimals the larger the value, and three significant digits below one, so a table of means of very
   * different scales (an income, a premium-to-coverage ratio) stays readable.
   */
  static String number(double value) {
    if (!Double.isFinite(value)) {
      return NOT_AVAILABLE;
    }
    double magnitude = Math.abs(value);
    if (magnitude > 0 && magnitude < 1) {
      return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
    String pattern = magnitude >= 1000 ? "%,.0f" : magnitude >= 10 ? "%.1f" : "%.2f";
    return String.format(Locale.ROOT, pattern, value);
  }

  static String signed(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%+.2f", value) : NOT_AVAILABLE;
  }

  static String duration(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, (seconds % 3600) / 60);
  }
}
