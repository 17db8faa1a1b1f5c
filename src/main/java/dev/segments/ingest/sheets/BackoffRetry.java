package dev.segments.ingest.sheets;

import com.google.api.client.util.NanoClock;
import com.google.api.client.util.Sleeper;
import java.time.Duration;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a call again after transient failures, waiting as a {@link RetryPolicy} says. */
final class BackoffRetry {
  private static final Logger LOG = LoggerFactory.getLogger(BackoffRetry.class);

  /** One try of the call; throws {@link TransientFailure} when trying again may succeed. */
  interface Attempt<T> {
    T run() throws TransientFailure;
  }

  /** A failure worth retrying: a 429 or 5xx answer, a time-out, a broken connection. */
  static final class TransientFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final int statusCode;

    TransientFailure(int statusCode, String what, Throwable cause) {
      super(what, cause);
      this.statusCode = statusCode;
    }
  }

  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final NanoClock clock;
  private final DoubleSupplier random;

  /** @param random uniform in [0, 1), for the jitter */
  BackoffRetry(RetryPolicy policy, Sleeper sleeper, NanoClock clock, DoubleSupplier random) {
    this.policy = policy;
    this.sleeper = sleeper;
    this.clock = clock;
    this.random = random;
  }

  /**
   * @param what the call, for the log and the error ("reading spreadsheet X")
   * @throws SheetsApiException when the attempts or the time run out, with the last failure and its status
   */
  <T> T run(String what, Attempt<T> attempt) {
    long start = clock.nanoTime();
    for (int attempts = 1; ; attempts++) {
      try {
        return attempt.run();
      } catch (TransientFailure failure) {
        Duration elapsed = Duration.ofNanos(clock.nanoTime() - start);
        Duration wait = attempts < policy.maxAttempts() ? jittered(policy.backoffBefore(attempts)) : null;
        if (wait == null || elapsed.plus(wait).compareTo(policy.maxTotalTime()) > 0) {
          throw new SheetsApiException(failure.statusCode, what + " failed after " + attempts
              + (attempts == 1 ? " attempt" : " attempts") + " over " + seconds(elapsed) + "; the last one: "
              + failure.getMessage(), failure.getCause());
        }
        LOG.warn("{}: {} (attempt {} of {}); retrying in {}", what, failure.getMessage(), attempts,
            policy.maxAttempts(), seconds(wait));
        sleep(what, wait);
      }
    }
  }

  private Duration jittered(Duration backoff) {
    double factor = 1 + policy.jitter() * (2 * random.getAsDouble() - 1);
    return Duration.ofMillis(Math.round(backoff.toMillis() * factor));
  }

  private void sleep(String what, Duration wait) {
    try {
      sleeper.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SheetsApiException(SheetsApiException.NO_STATUS, what + " was interrupted while waiting to retry", e);
    }
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
