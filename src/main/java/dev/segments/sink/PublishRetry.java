package dev.segments.sink;

import com.google.api.gax.retrying.RetrySettings;
import java.time.Duration;

/**
 * How often the publishing transaction runs again when BigQuery aborts it because another job changed one of its
 * tables meanwhile ("Transaction is aborted due to concurrent update against table ...", for example an analyst's
 * UPDATE: https://cloud.google.com/bigquery/docs/transactions#transaction_concurrency). The transaction is
 * idempotent for its run date (it deletes the date's rows, then inserts the staged ones), so running it again is
 * safe. Between attempts the wait doubles from {@code initialBackoff} up to {@code maxBackoff}, each wait drawn at
 * random up to that bound (gax's exponential backoff with jitter).
 *
 * @param maxAttempts how many times the transaction may run in all (1 = never again); null = 5
 * @param initialBackoff the bound of the first wait; null = 30 s
 * @param maxBackoff the bound of any wait; null = 4 min
 */
public record PublishRetry(Integer maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  static final PublishRetry DEFAULT = new PublishRetry(null, null, null);

  public PublishRetry {
    maxAttempts = maxAttempts == null ? 5 : maxAttempts;
    initialBackoff = initialBackoff == null ? Duration.ofSeconds(30) : initialBackoff;
    maxBackoff = maxBackoff == null ? Duration.ofMinutes(4) : maxBackoff;
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("bigquery.publish_retry.max_attempts is " + maxAttempts
          + "; expected at least 1 (1 runs the transaction once)");
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("bigquery.publish_retry: initial_backoff " + initialBackoff
          + " and max_backoff " + maxBackoff + "; expected 0 <= initial_backoff <= max_backoff");
    }
  }

  /** The gax settings: attempts bounded by {@code maxAttempts} alone, the time by the waits and the attempts. */
  RetrySettings settings() {
    return RetrySettings.newBuilder().setMaxAttempts(maxAttempts).setInitialRetryDelayDuration(initialBackoff)
        .setRetryDelayMultiplier(2.0).setMaxRetryDelayDuration(maxBackoff).setTotalTimeoutDuration(Duration.ZERO)
        .build();
  }
}
