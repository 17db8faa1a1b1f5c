package dev.segments.ingest.sheets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.ingest.sheets.BackoffRetry.TransientFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackoffRetryTest {
  private final FakeTime time = new FakeTime();

  @Test
  void waitsGrowByTheMultiplierUpToTheCap() {
    RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(3), 3.0, 0, Duration.ofHours(1));

    assertThrows(SheetsApiException.class, () -> retry(policy, () -> 0.5).run("test", alwaysFailing()));

    // 500 ms × 3^n: 500, 1500, 4500 -> capped at 3000, then 3000 again.
    assertEquals(List.of(500L, 1500L, 3000L, 3000L, 3000L), time.sleeps());
  }

  @Test
  void jitterScalesEachWaitWithinItsShare() {
    RetryPolicy policy = new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(2), 2.0, 0.25, Duration.ofHours(1));

    assertThrows(SheetsApiException.class, () -> retry(policy, () -> 0.0).run("test", alwaysFailing()));
    assertThrows(SheetsApiException.class, () -> retry(policy, () -> 1.0).run("test", alwaysFailing()));

    assertEquals(List.of(1500L, 2500L), time.sleeps());
  }

  @Test
  void succeedsOnTheAttemptThatSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    String answer = retry(RetryPolicy.DEFAULT, () -> 0.5).run("test", () -> {
      if (calls.incrementAndGet() < 3) {
        throw new TransientFailure(503, "HTTP 503", null);
      }
      return "values";
    });

    assertEquals("values", answer);
    assertEquals(List.of(1000L, 2000L), time.sleeps());
  }

  @Test
  void oneAttemptMeansNoRetry() {
    RetryPolicy once = new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0, 0, Duration.ofHours(1));

    SheetsApiException e = assertThrows(SheetsApiException.class,
        () -> retry(once, () -> 0.5).run("reading spreadsheet X", alwaysFailing()));

    assertEquals("reading spreadsheet X failed after 1 attempt over 0.0 s; the last one: HTTP 429", e.getMessage());
    assertEquals(429, e.statusCode());
    assertTrue(time.sleeps().isEmpty());
  }

  private BackoffRetry retry(RetryPolicy policy, java.util.function.DoubleSupplier random) {
    return new BackoffRetry(policy, time, time, random);
  }

  private static BackoffRetry.Attempt<String> alwaysFailing() {
    return () -> {
      throw new TransientFailure(429, "HTTP 429", null);
    };
  }
}
