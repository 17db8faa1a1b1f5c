package dev.segments.ingest.sheets;

import java.time.Duration;
import java.util.Objects;

/**
 * How a failed Sheets API call is retried: truncated exponential backoff with jitter, as Google recommends for
 * 429 and 5xx answers. The n-th wait is {@code initialBackoff × multiplier^(n-1)}, capped at {@code maxBackoff},
 * then scaled by a random factor in {@code [1 - jitter, 1 + jitter]}. Retrying stops after {@code maxAttempts}
 * calls in all, or earlier when the next wait would end after {@code maxTotalTime} from the first call.
 *
 * @param maxAttempts calls in all, the first included; 1 means no retry
 * @param initialBackoff the first wait
 * @param maxBackoff the longest single wait
 * @param multiplier how much each wait grows, at least 1
 * @param jitter the random share of each wait, within 0..1
 * @param maxTotalTime no retry starts after this much time from the first call
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    double jitter,
    Duration maxTotalTime) {

  /**
   * Seven calls over at most three minutes: waits of about 1, 2, 4, 8, 16 and 32 s outlast the Sheets API's
   * per-minute read quota.
   */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(7, Duration.ofSeconds(1), Duration.ofSeconds(32), 2.0, 0.2, Duration.ofMinutes(3));

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "retry initial_backoff");
    Objects.requireNonNull(maxBackoff, "retry max_backoff");
    Objects.requireNonNull(maxTotalTime, "retry max_total_time");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("retry max_attempts must be at least 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("retry backoffs must satisfy 0 <= initial_backoff (" + initialBackoff
          + ") <= max_backoff (" + maxBackoff + ")");
    }
    if (!(multiplier >= 1)) {
      throw new IllegalArgumentException("retry multiplier must be at least 1, got " + multiplier);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("retry jitter must be within 0..1, got " + jitter);
    }
    if (maxTotalTime.isNegative()) {
      throw new IllegalArgumentException("retry max_total_time must not be negative, got " + maxTotalTime);
    }
  }

  /** The wait before retry number {@code retry} (1 for the first retry), before jitter. */
  Duration backoffBefore(int retry) {
    double millis = initialBackoff.toMillis() * Math.pow(multiplier, retry - 1);
    return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(Math.round(millis));
  }
}
