package dev.segments.sink.loopback;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Failures the loopback BigQuery injects, each answered exactly as BigQuery answers that failure (status, reason,
 * error body), so the official client's and the connector's own retry and error handling run for real:
 * <ul>
 *   <li>{@link #failNext(Step, int)}: the next call of a REST method answers that HTTP status with BigQuery's reason
 *       for it (500 and 503 {@code backendError}, 429 {@code rateLimitExceeded}, 403 {@code accessDenied}, 400
 *       {@code invalid}); the call has no effect, as when BigQuery refuses it before doing anything;</li>
 *   <li>{@link #failLoadInto(String)}: the next load job into a table (by table id, decorator left off) ends DONE
 *       with an {@code errorResult} and loads nothing;</li>
 *   <li>{@link #failCommit(int, int)}: the next COMMIT TRANSACTIONs fail; the transaction is rolled back and the
 *       script job fails with that status (500 {@code backendError}, which the clients retry, or 400);</li>
 *   <li>{@link #failWhen(Predicate, int)}: the next call that matches (method, path, body) answers that status;</li>
 *   <li>{@link #beforeCommit(Consumer)}: code run when a transaction reaches COMMIT, before it commits, with the
 *       script's text; if it throws, the transaction is rolled back and the job fails with {@code backendError}
 *       (for example, to kill the caller between staging and commit). The hook runs on the server's only
 *       thread: it may read {@link LoopbackBigQuery#rows} but must not call the server over HTTP.</li>
 * </ul>
 * Each armed fault fires once unless a count is given; {@link #clear()} disarms everything.
 */
public final class Faults {
  private final Map<Step, Deque<BigQueryError>> failures = new EnumMap<>(Step.class);
  private final Map<String, Integer> failedLoads = new HashMap<>();
  private final Deque<Integer> commitFailures = new ArrayDeque<>();
  private final List<Consumer<String>> commitHooks = new ArrayList<>();
  private final List<Map.Entry<Predicate<LoopbackBigQuery.RecordedRequest>, Integer>> requestFailures =
      new ArrayList<>();

  /** The next call of {@code step} answers {@code httpStatus} (BigQuery's reason for it). */
  public synchronized Faults failNext(Step step, int httpStatus) {
    return failNext(step, httpStatus, 1);
  }

  /** The next {@code times} calls of {@code step} answer {@code httpStatus}. */
  public synchronized Faults failNext(Step step, int httpStatus, int times) {
    for (int i = 0; i < times; i++) {
      failures.computeIfAbsent(step, s -> new ArrayDeque<>()).add(BigQueryError.forStatus(httpStatus,
          message(httpStatus, step)));
    }
    return this;
  }

  /**
   * The next call of {@code step} answers {@code httpStatus} with this reason, e.g. 403 {@code rateLimitExceeded}
   * (https://cloud.google.com/bigquery/docs/error-messages).
   */
  public synchronized Faults failNext(Step step, int httpStatus, String reason) {
    failures.computeIfAbsent(step, s -> new ArrayDeque<>()).add(new BigQueryError(httpStatus, reason,
        message(reason.equals("rateLimitExceeded") ? 429 : httpStatus, step)));
    return this;
  }

  private static String message(int status, Step step) {
    return status == 429
        ? "Exceeded rate limits: too many api requests per user per method for this user_method. "
            + "For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas"
        : status >= 500 ? "An internal error occurred and the request could not be completed. This is usually "
            + "caused by a transient issue. Retrying the job with back-off as described in the BigQuery SLA "
            + "should solve the problem: https://cloud.google.com/bigquery/sla. If the error continues to occur "
            + "please contact support at https://cloud.google.com/support."
        : "Request failed (fault injected by the loopback BigQuery" + (step == null ? "" : " for " + step) + ")";
  }

  /** The next load job into {@code tableId} (the table name without dataset) fails. */
  public synchronized Faults failLoadInto(String tableId) {
    failedLoads.merge(tableId, 1, Integer::sum);
    return this;
  }

  /** The next {@code times} COMMIT TRANSACTION statements fail with {@code httpStatus}'s reason. */
  public synchronized Faults failCommit(int httpStatus, int times) {
    for (int i = 0; i < times; i++) {
      commitFailures.add(httpStatus);
    }
    return this;
  }

  /**
   * The next {@code times} COMMIT TRANSACTION statements fail as a transaction BigQuery aborts because another job
   * updated one of its tables meanwhile: the transaction is rolled back and the job fails with 400 {@code
   * invalidQuery} "Transaction is aborted due to concurrent update against table project:dataset.table. Transaction
   * ID: ..." (https://cloud.google.com/bigquery/docs/transactions#transaction_concurrency; not retried by the
   * clients); {@link #failCommit(int, int)} with 500 gives a retryable {@code backendError}.
   */
  public synchronized Faults failCommit(int times) {
    return failCommit(400, times);
  }

  /** Runs {@code hook} with the script's text whenever a transaction reaches COMMIT, before it commits. */
  public synchronized Faults beforeCommit(Consumer<String> hook) {
    commitHooks.add(hook);
    return this;
  }

  /**
   * The next call that {@code matcher} accepts answers {@code httpStatus} and does nothing, e.g. the request whose
   * body holds COMMIT TRANSACTION, as if the caller died before its commit reached BigQuery.
   */
  public synchronized Faults failWhen(Predicate<LoopbackBigQuery.RecordedRequest> matcher, int httpStatus) {
    requestFailures.add(Map.entry(matcher, httpStatus));
    return this;
  }

  public synchronized void clear() {
    requestFailures.clear();
    failures.clear();
    failedLoads.clear();
    commitFailures.clear();
    commitHooks.clear();
  }

  synchronized void check(Step step) {
    Deque<BigQueryError> queue = failures.get(step);
    BigQueryError error = queue == null ? null : queue.poll();
    if (error != null) {
      throw new BigQueryError(error.status, error.reason, error.getMessage());
    }
  }

  synchronized void checkRequest(LoopbackBigQuery.RecordedRequest request) {
    for (int i = 0; i < requestFailures.size(); i++) {
      if (requestFailures.get(i).getKey().test(request)) {
        int status = requestFailures.remove(i).getValue();
        throw BigQueryError.forStatus(status, message(status, null));
      }
    }
  }

  synchronized void checkLoad(String tableId) {
    Integer remaining = failedLoads.get(tableId);
    if (remaining != null) {
      if (remaining <= 1) {
        failedLoads.remove(tableId);
      } else {
        failedLoads.put(tableId, remaining - 1);
      }
      throw BigQueryError.invalid("Error while reading data, error message: Failed to read the staged files for "
          + tableId + " (fault injected by the loopback BigQuery)");
    }
  }

  /** Runs the commit hooks and fires an armed commit failure; {@code changed} names the tables the transaction changed. */
  void checkCommit(String script, List<String> changed) {
    List<Consumer<String>> hooks;
    Integer status;
    synchronized (this) {
      hooks = List.copyOf(commitHooks);
      status = commitFailures.poll();
    }
    for (Consumer<String> hook : hooks) {
      try {
        hook.accept(script);
      } catch (RuntimeException e) {
        throw new BigQueryError(500, "backendError", "Transaction aborted before COMMIT: " + e.getMessage());
      }
    }
    if (status != null && status >= 500) {
      throw BigQueryError.forStatus(status, "Transaction is aborted due to an internal error. Retry the transaction.");
    }
    if (status != null) {
      throw BigQueryError.invalidQuery("Transaction is aborted due to concurrent update against table "
          + (changed.isEmpty() ? "(none changed)" : changed.get(0)) + ". Transaction ID: "
          + UUID.randomUUID().toString().replace("-", ""));
    }
  }
}
