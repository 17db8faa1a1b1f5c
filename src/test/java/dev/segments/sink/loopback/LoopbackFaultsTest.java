package dev.segments.sink.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.TableId;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Injected faults look like BigQuery's, so the official client's own retries and errors run for real. */
class LoopbackFaultsTest {
  private static final String PROJECT = "faults-project";
  private static final String NIGHT = "BEGIN TRANSACTION;\n"
      + "DELETE FROM `faults-project.sales.segments` WHERE run_date = DATE '2026-11-30';\n"
      + "INSERT INTO `faults-project.sales.segments` SELECT * FROM `faults-project.sales.staging`;\n"
      + "DELETE FROM `faults-project.sales.profiles` WHERE run_date = DATE '2026-11-30';\n"
      + "INSERT INTO `faults-project.sales.profiles` VALUES (DATE '2026-11-30', 2);\n"
      + "COMMIT TRANSACTION;";
  private LoopbackBigQuery server;
  private BigQuery bigQuery;

  @BeforeEach
  void start() throws InterruptedException {
    server = LoopbackBigQuery.start(PROJECT);
    bigQuery = server.client("EU");
    bigQuery.create(DatasetInfo.newBuilder(PROJECT, "sales").setLocation("EU").build());
    query("CREATE TABLE `faults-project.sales.segments` (run_date DATE, customer_id STRING) PARTITION BY run_date");
    query("CREATE TABLE `faults-project.sales.profiles` (run_date DATE, segments INT64) PARTITION BY run_date");
    query("CREATE TABLE `faults-project.sales.staging` (run_date DATE, customer_id STRING)");
    query("INSERT INTO `faults-project.sales.segments` VALUES (DATE '2026-11-29', 'a'), (DATE '2026-11-30', 'old')");
    query("INSERT INTO `faults-project.sales.profiles` VALUES (DATE '2026-11-29', 1), (DATE '2026-11-30', 1)");
    query("INSERT INTO `faults-project.sales.staging` VALUES (DATE '2026-11-30', 'new1'), (DATE '2026-11-30', 'new2')");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void query(String sql) throws InterruptedException {
    bigQuery.query(QueryJobConfiguration.of(sql));
  }

  private List<List<Object>> tables() {
    return server.rows("SELECT 'segments', CAST(run_date AS VARCHAR), customer_id FROM sales.segments UNION ALL "
        + "SELECT 'profiles', CAST(run_date AS VARCHAR), CAST(segments AS VARCHAR) FROM sales.profiles ORDER BY 1, 2, 3");
  }

  private long calls(String method, String pathEnd) {
    return server.requests().stream().filter(r -> r.method().equals(method) && r.path().endsWith(pathEnd)).count();
  }

  /**
   * google-cloud-bigquery 2.59.0 does not retry a 5xx answer to jobs.insert: BigQueryImpl.create runs the RPC with
   * DEFAULT_BIGQUERY_EXCEPTION_HANDLER (retries connection errors only; the untranslated GoogleJsonResponseException
   * is not a BaseServiceException) and DEFAULT_RETRY_CONFIG (retries "Exceeded rate limits:" messages only). The
   * caller gets the backendError; the job was never created.
   */
  @Test
  void aServerErrorOnJobsInsertReachesTheCaller() {
    List<List<Object>> before = tables();
    server.faults().failNext(Step.JOBS_INSERT, 500);
    long inserts = calls("POST", "/jobs");
    BigQueryException failed = assertThrows(BigQueryException.class,
        () -> bigQuery.create(JobInfo.of(QueryJobConfiguration.of(NIGHT))));
    assertEquals(500, failed.getCode());
    assertEquals("backendError", failed.getReason());
    assertEquals(1, calls("POST", "/jobs") - inserts, "not retried");
    assertEquals(before, tables());
    // The caller's own retry (or the next night's rerun) then succeeds.
    bigQuery.create(JobInfo.of(QueryJobConfiguration.of(NIGHT)));
    assertEquals(List.of(
        List.of("profiles", "2026-11-29", "1"), List.of("profiles", "2026-11-30", "2"),
        List.of("segments", "2026-11-29", "a"), List.of("segments", "2026-11-30", "new1"),
        List.of("segments", "2026-11-30", "new2")), tables());
  }

  @Test
  void aRateLimitOnJobsInsertIsRetriedByTheClient() throws InterruptedException {
    server.faults().failNext(Step.JOBS_INSERT, 429);
    long before = calls("POST", "/jobs");
    Job job = bigQuery.create(JobInfo.of(QueryJobConfiguration.of(NIGHT))).waitFor();
    assertEquals(2, calls("POST", "/jobs") - before, "one 429 rateLimitExceeded, then the retry");
    assertEquals(5, tables().size());
    assertTrue(job.isDone());
  }

  @Test
  void aRateLimitOnJobsQueryIsRetriedByTheClient() throws InterruptedException {
    server.faults().failNext(Step.JOBS_QUERY, 429);
    long before = calls("POST", "/queries");
    query("SELECT 1");
    assertEquals(2, calls("POST", "/queries") - before);
  }

  @Test
  void aClientErrorIsNotRetriedAndLooksLikeBigQuerys() {
    server.faults().failNext(Step.TABLES_GET, 403);
    BigQueryException denied = assertThrows(BigQueryException.class,
        () -> bigQuery.getTable(TableId.of("sales", "segments")));
    assertEquals(403, denied.getCode());
    assertEquals("accessDenied", denied.getReason());
  }

  @Test
  void aFailedCommitLeavesEveryTableAsItWas() {
    java.util.Map<String, List<String>> before = server.contents("sales");
    assertEquals(List.of("2026-11-29|1", "2026-11-30|1"), before.get("profiles"));
    server.faults().failCommit(1);
    BigQueryException failed = assertThrows(BigQueryException.class, () -> query(NIGHT));
    assertTrue(failed.getMessage().startsWith("Transaction is aborted"), failed.getMessage());
    assertEquals(before, server.contents("sales"));
  }

  @Test
  void aRetryableCommitFailureKeepsFailingForTheSameRequest() {
    // jobs.query is idempotent by requestId: the client's retry answers the first outcome, not a second run.
    List<List<Object>> before = tables();
    server.faults().failCommit(500, 1);
    BigQueryException failed = assertThrows(BigQueryException.class, () -> query(NIGHT));
    assertEquals(500, failed.getCode());
    assertEquals(before, tables());
  }

  @Test
  void codeBetweenStagingAndCommitSeesTheScriptAndCanAbortIt() {
    List<List<Object>> before = tables();
    AtomicReference<String> seen = new AtomicReference<>();
    server.faults().beforeCommit(script -> {
      seen.set(script);
      throw new IllegalStateException("process killed");
    });
    BigQueryException aborted = assertThrows(BigQueryException.class, () -> query(NIGHT));
    assertTrue(aborted.getMessage().contains("process killed"), aborted.getMessage());
    assertEquals(NIGHT, seen.get());
    assertEquals(before, tables());
  }

  @Test
  void aCommitThatNeverArrivesLeavesEveryTableAsItWas() {
    List<List<Object>> before = tables();
    server.faults().failWhen(r -> r.body().contains("COMMIT TRANSACTION"), 400);
    BigQueryException failed = assertThrows(BigQueryException.class, () -> query(NIGHT));
    assertEquals(400, failed.getCode());
    assertEquals(before, tables());
    assertTrue(server.statements().stream().noneMatch(sql -> sql.contains("COMMIT TRANSACTION")),
        "the script never ran");
  }

  @Test
  void anInjectedLoadFailureLoadsNothingAndTheNextLoadSucceeds() throws Exception {
    String bucket = "faults-bucket-" + System.nanoTime();
    java.nio.file.Path folder = server.createBucket(bucket, "EU");
    try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement statement = duck.createStatement()) {
      statement.execute("COPY (SELECT DATE '2026-12-01' AS run_date, 'd' AS customer_id) TO '"
          + folder.resolve("night.parquet") + "' (FORMAT PARQUET)");
    }
    JobInfo load = JobInfo.of(com.google.cloud.bigquery.LoadJobConfiguration.newBuilder(
        TableId.of("sales", "segments"), "gs://" + bucket + "/night.parquet",
        com.google.cloud.bigquery.FormatOptions.parquet()).build());
    server.faults().failLoadInto("segments");
    BigQueryException failed = assertThrows(BigQueryException.class, () -> bigQuery.create(load).waitFor());
    assertTrue(failed.getMessage().startsWith("Error while reading data"), failed.getMessage());
    assertEquals(4, tables().size());
    bigQuery.create(load).waitFor();
    assertEquals(5, tables().size());
  }

  /** BigQuery aborts a transaction at COMMIT when another job updated its table (transactions#transaction_concurrency). */
  @Test
  void aConcurrentUpdateAbortsTheTransactionAsBigQueryReportsIt() throws Exception {
    java.util.Map<String, List<String>> before = server.contents("sales");
    server.faults().failCommit(1);
    BigQueryException aborted = assertThrows(BigQueryException.class, () -> query(NIGHT));
    assertEquals(400, aborted.getCode());
    assertEquals("invalidQuery", aborted.getReason());
    assertTrue(aborted.getMessage().startsWith("Transaction is aborted due to concurrent update against table "
        + "faults-project:sales.segments. Transaction ID: "), aborted.getMessage());
    assertEquals(before, server.contents("sales"));
    query(NIGHT);
    assertEquals(List.of("2026-11-29|a", "2026-11-30|new1", "2026-11-30|new2"), server.contents("sales")
        .get("segments"), "the conflict fires once; the same transaction then commits");
  }
}
