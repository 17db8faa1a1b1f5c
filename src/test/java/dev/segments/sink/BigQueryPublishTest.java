package dev.segments.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TimePartitioning;
import dev.segments.LocalSpark;
import dev.segments.sink.loopback.LoopbackBigQuery;
import dev.segments.sink.loopback.LoopbackBigQuery.RecordedRequest;
import dev.segments.sink.loopback.LoopbackGcs;
import dev.segments.sink.loopback.Step;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The BigQuery sink's publish with the real official client and the real connector (indirect write) against the
 * loopback BigQuery, on small hand-made nights: what a night leaves in BigQuery, and that a failure at any step
 * leaves every table's rows for every date as they were, that a rerun repairs, and that no staging table outlives
 * its expiry. One server and one dataset serve every test: the first three read the two nights published before
 * them; each later test takes its own "before" snapshot, and its rerun replaces night 2.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BigQueryPublishTest {
  private static final String DATASET = "sales";
  private static final String BUCKET = "segments-staging-euw2";
  private static final String LOCATION = "europe-west2";
  private static final LocalDate NIGHT_1 = LocalDate.parse("2024-06-30");
  private static final LocalDate NIGHT_2 = LocalDate.parse("2024-07-31");
  private static final List<String> TABLES = List.of("customer_segments", "segment_profiles", "sales_enriched",
      "model_runs", "quarantine", "k_selection", "segment_product_affinity");

  private static LoopbackBigQuery server;
  private static BigQueryConfig config;
  private static BigQuery bigQuery;
  private static final AtomicInteger attempts = new AtomicInteger();

  @BeforeAll
  static void firstTwoNights() {
    server = LoopbackBigQuery.start("segments-loopback");
    server.createBucket(BUCKET, LOCATION);
    LoopbackGcs.register(LocalSpark.session().sparkContext().hadoopConfiguration());
    config = new BigQueryConfig(server.projectId(), DATASET, LOCATION, BUCKET, null, Map.of("app", "segments"),
        Duration.ofHours(6), server.endpoint(), PUBLISH_RETRY, null);
    bigQuery = server.client(LOCATION);

    // The first night on an empty project: no dataset, no table, so no previous run.
    assertEquals(Optional.empty(), warehouse().latestBefore("segment_profiles", NIGHT_1));
    warehouse().publish(night1().outputs());
    warehouse().publish(night2().outputs());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void disarm() {
    server.faults().clear();
  }

  /**
   * The production warehouse wiring (client built from the config, placeholder token) with the server's clock and
   * the production retry policy's attempts, waiting milliseconds instead of seconds.
   */
  private static BigQueryWarehouse warehouse(BigQueryWarehouse.StepHook hook) {
    return new BigQueryWarehouse(config, () -> BigQueryWarehouse.client(config, FAST_RETRIES), hook,
        Clock.fixed(server.now(), ZoneOffset.UTC), () -> "t" + attempts.incrementAndGet());
  }

  /** The transaction retried up to 3 times in all, waiting milliseconds. */
  private static final PublishRetry PUBLISH_RETRY = new PublishRetry(3, Duration.ofMillis(5), Duration.ofMillis(20));

  private static final RetrySettings FAST_RETRIES = BigQueryWarehouse.defaultRetries().toBuilder()
      .setInitialRetryDelayDuration(Duration.ofMillis(10)).setMaxRetryDelayDuration(Duration.ofMillis(100)).build();

  private static BigQueryWarehouse warehouse() {
    return warehouse(step -> { });
  }

  private static SampleRun night1() {
    return SampleRun.of("night-1", NIGHT_1, List.of(
        SampleRun.sale("S1", "C1", "P1", "2024-01-10", 100.0, 1000.0, 30, 1),
        SampleRun.sale("S2", "C2", "P2", "2024-02-11", 250.0, null, 45, 2),
        SampleRun.sale("S3", "C1", "P3", "2024-03-12", 80.0, 900.0, 30, 1)),
        List.of(new SampleRun.Member("C9", 2, "segment 2")));
  }

  private static SampleRun night2() {
    return SampleRun.of("night-2", NIGHT_2, List.of(
        SampleRun.sale("S1", "C1", "P1", "2024-01-10", 100.0, 1000.0, 30, 1),
        SampleRun.sale("S2", "C2", "P2", "2024-02-11", 250.0, null, 45, 2),
        SampleRun.sale("S3", "C1", "P3", "2024-03-12", 80.0, 900.0, 30, 1),
        SampleRun.sale("S4", "C3", "P1", "2024-07-20", 60.0, 600.0, 52, 3)), List.of());
  }

  /** Night 2 again with other rows, as a rerun on changed sheets would publish. */
  private static RunOutputs night2Changed(String runId) {
    return SampleRun.of(runId, NIGHT_2, List.of(
        SampleRun.sale("S5", "C4", "P2", "2024-07-21", 70.0, 700.0, 61, 1),
        SampleRun.sale("S6", "C5", "P3", "2024-07-22", 90.0, 950.0, 33, 2)), List.of()).outputs();
  }

  /** Every table's rows, every date, in a stable order. */
  private static Map<String, List<List<Object>>> snapshot() {
    Map<String, List<List<Object>>> rows = new LinkedHashMap<>();
    for (String table : TABLES) {
      rows.put(table, server.rows("SELECT * FROM " + DATASET + "." + table + " ORDER BY ALL"));
    }
    return rows;
  }

  private static long count(String table, LocalDate date) {
    return ((Number) server.rows("SELECT count(*) FROM " + DATASET + "." + table + " WHERE run_date = DATE '" + date
        + "'").get(0).get(0)).longValue();
  }

  private static List<String> stagingTables() {
    return server.tableNames(DATASET).stream().filter(t -> t.startsWith(PublishPlan.STAGING_PREFIX)).toList();
  }

  /** Leftover staging tables are gone once the server's clock passes their expiry, and only then. */
  private static void assertStagingExpires() {
    List<String> left = stagingTables();
    assertFalse(left.isEmpty(), "a dead run leaves its staging tables to expire");
    for (String name : left) {
      Table table = bigQuery.getTable(TableId.of(DATASET, name));
      assertEquals(server.now().plus(config.stagingExpiration()).toEpochMilli(), table.getExpirationTime(), name);
    }
    server.advanceClock(config.stagingExpiration().minusMinutes(1));
    assertEquals(left, stagingTables());
    server.advanceClock(Duration.ofMinutes(2));
    assertEquals(List.of(), stagingTables());
  }

  /** The rerun of the date publishes it: night 2 holds the rerun's rows, night 1 is untouched. */
  private static void assertRerunRepairs(Map<String, List<List<Object>>> before, String runId) {
    warehouse().publish(night2Changed(runId));
    assertEquals(2, count("customer_segments", NIGHT_2));
    assertEquals(2, count("sales_enriched", NIGHT_2));
    assertEquals(0, count("quarantine", NIGHT_2));
    assertEquals(List.of(List.of(runId)), server.rows("SELECT DISTINCT run_id FROM " + DATASET
        + ".model_runs WHERE run_date = DATE '" + NIGHT_2 + "'"));
    Map<String, List<List<Object>>> after = snapshot();
    for (String table : TABLES) {
      assertEquals(before.get(table).stream().filter(r -> r.get(0).toString().equals(NIGHT_1.toString())).toList(),
          after.get(table).stream().filter(r -> r.get(0).toString().equals(NIGHT_1.toString())).toList(), table);
    }
    assertEquals(List.of(), stagingTables());
  }

  @Test
  @Order(1)
  void aNightCreatesPartitionedClusteredTablesAndPublishesEveryTableForItsDate() {
    Table segments = bigQuery.getTable(TableId.of(DATASET, "customer_segments"));
    StandardTableDefinition definition = segments.getDefinition();
    assertEquals(TimePartitioning.Type.DAY, definition.getTimePartitioning().getType());
    assertEquals("run_date", definition.getTimePartitioning().getField());
    assertEquals(List.of("segment_id"), definition.getClustering().getFields());
    StandardTableDefinition modelRuns = bigQuery.getTable(TableId.of(DATASET, "model_runs")).getDefinition();
    assertEquals("run_date", modelRuns.getTimePartitioning().getField());
    assertEquals(null, modelRuns.getClustering());
    assertEquals(LOCATION, bigQuery.getDataset(DATASET).getLocation());

    Map<String, long[]> expected = Map.of("customer_segments", new long[] {3, 3}, "segment_profiles",
        new long[] {2, 3}, "sales_enriched", new long[] {3, 4}, "model_runs", new long[] {1, 1}, "quarantine",
        new long[] {0, 0}, "k_selection", new long[] {2, 2}, "segment_product_affinity", new long[] {3, 4});
    Map<String, List<List<Object>>> snapshot = snapshot();
    for (String table : TABLES) {
      assertEquals(expected.get(table)[0], count(table, NIGHT_1), table + " " + NIGHT_1);
      assertEquals(expected.get(table)[1], count(table, NIGHT_2), table + " " + NIGHT_2);
      assertEquals(expected.get(table)[0] + expected.get(table)[1], snapshot.get(table).size(), table);
    }
    assertEquals(List.of(), stagingTables(), "staging tables are dropped after the commit");
    assertTrue(server.statements().stream().anyMatch(s -> s.startsWith("BEGIN TRANSACTION;")),
        "the night was published by a transaction");
  }

  @Test
  @Order(2)
  void everyViewIsCreatedAndAnswers() throws InterruptedException {
    for (View view : ViewCatalog.load().views()) {
      assertNotNull(bigQuery.getTable(TableId.of(DATASET, view.name())), view.name());
      long rows = bigQuery.query(QueryJobConfiguration.of("SELECT COUNT(*) FROM " + config.sqlReference(view.name())))
          .iterateAll().iterator().next().get(0).getLongValue();
      assertTrue(rows >= 0, view.name());
    }
    long latest = bigQuery.query(QueryJobConfiguration.of("SELECT COUNT(*) FROM "
        + config.sqlReference("segment_summary"))).iterateAll().iterator().next().get(0).getLongValue();
    assertEquals(3, latest, "segment_summary holds the latest night's 3 segments");
  }

  @Test
  @Order(4)
  void everyColumnOfEveryTableAndViewHasItsDescription() {
    ViewCatalog views = ViewCatalog.load();
    ColumnDescriptions descriptions = ColumnDescriptions.load(views);
    Map<String, List<String>> columnsOf = new LinkedHashMap<>();
    List<String> relations = new ArrayList<>(TABLES);
    views.views().forEach(view -> relations.add(view.name()));
    for (String relation : relations) {
      // tables.get, as Power BI's navigator reads a column's description.
      Table table = bigQuery.getTable(TableId.of(DATASET, relation));
      List<String> names = new ArrayList<>();
      for (Field field : table.getDefinition().getSchema().getFields()) {
        names.add(field.getName());
      }
      columnsOf.put(relation, names);
      for (Field field : table.getDefinition().getSchema().getFields()) {
        assertEquals(descriptions.column(relation, field.getName(), columnsOf), field.getDescription(),
            relation + "." + field.getName());
      }
      assertEquals(TABLES.contains(relation) ? descriptions.table(relation)
          : views.views().stream().filter(v -> v.name().equals(relation)).findFirst().orElseThrow().description(),
          table.getDescription(), relation);
    }
  }

  @Test
  @Order(3)
  void thePreviousRunsProfilesAreReadWithAQuery() {
    List<Row> previous = warehouse().latestBefore("segment_profiles", NIGHT_2).orElseThrow().collectAsList();
    assertEquals(2, previous.size());
    for (Row profile : previous) {
      assertEquals(java.sql.Date.valueOf(NIGHT_1), profile.getAs("run_date"));
      assertEquals("night-1", profile.getAs("run_id"));
    }
    assertEquals(Optional.empty(), warehouse().latestBefore("segment_profiles", NIGHT_1));
  }

  @Test
  void aNewColumnIsAddedAsNullableBeforeTheLoad() {
    RunOutputs base = night2Changed("night-2-new-column");
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>(base.tables());
    tables.put("customer_segments", tables.get("customer_segments").withColumn("tenure_days", functions.lit(42L)));
    warehouse().publish(new RunOutputs(base.runId(), base.runDate(), tables, base.files()));

    Field added = bigQuery.getTable(TableId.of(DATASET, "customer_segments")).getDefinition().getSchema().getFields()
        .get("tenure_days");
    assertEquals(Field.Mode.NULLABLE, added.getMode());
    assertEquals(List.of(List.of(NIGHT_1.toString(), 0L, 3L), List.of(NIGHT_2.toString(), 2L, 0L)),
        server.rows("SELECT CAST(run_date AS VARCHAR), count(tenure_days), count(*) - count(tenure_days) FROM "
            + DATASET + ".customer_segments GROUP BY ALL ORDER BY ALL"));
  }

  @Test
  void theThirdTablesLoadFailingChangesNothing() {
    Map<String, List<List<Object>>> before = snapshot();
    String tag = "t" + (attempts.get() + 1);
    server.faults().failLoadInto(PublishPlan.STAGING_PREFIX + "sales_enriched_" + tag);
    RuntimeException error = assertThrows(RuntimeException.class,
        () -> warehouse().publish(night2Changed("night-2-load-fails")));
    assertTrue(chain(error).contains("sales_enriched"), chain(error));
    assertEquals(before, snapshot());
    assertEquals(List.of(), stagingTables(), "a failed publish drops its staging tables");
    assertRerunRepairs(before, "night-2-after-load-failure");
  }

  @Test
  void jobsInsertAnswering500Then200OrA429IsRetried() {
    Map<String, List<List<Object>>> before = snapshot();
    List<String> armed = new ArrayList<>();
    // The connector's first load job meets a 500, the transaction's job a 429; both are retried.
    BigQueryWarehouse warehouse = warehouse(step -> {
      if (step == BigQueryWarehouse.Step.STAGING) {
        server.faults().failNext(Step.JOBS_INSERT, 500);
        armed.add("500");
      } else if (step == BigQueryWarehouse.Step.COMMIT) {
        server.faults().failNext(Step.JOBS_INSERT, 429);
        armed.add("429");
      }
    });
    int requestsBefore = server.requests().size();
    warehouse.publish(night2Changed("night-2-retried"));
    assertEquals(List.of("500", "429"), armed);
    // The connector sends its refused load again as a new job; our client sends the refused transaction again
    // under the same job id, so it cannot run twice.
    List<RecordedRequest> inserts = server.requests().stream().skip(requestsBefore)
        .filter(r -> r.method().equals("POST") && r.path().endsWith("/jobs")).toList();
    String stagingTable = PublishPlan.STAGING_PREFIX + "customer_segments_t" + attempts.get();
    assertEquals(2, inserts.stream().filter(r -> r.body().contains("\"load\"")
        && r.body().contains("\"tableId\":\"" + stagingTable + "\"")).count(), "the load was sent again");
    List<String> transactions = inserts.stream().map(RecordedRequest::body)
        .filter(body -> body.contains("BEGIN TRANSACTION")).toList();
    assertEquals(2, transactions.size());
    assertEquals(transactions.get(0), transactions.get(1), "the same job, id included");
    assertRerunRepairs(before, "night-2-retried");
  }

  @Test
  void theProcessDyingBetweenStagingAndCommitChangesNothing() {
    Map<String, List<List<Object>>> before = snapshot();
    BigQueryWarehouse dying = warehouse(step -> {
      if (step == BigQueryWarehouse.Step.COMMIT || step == BigQueryWarehouse.Step.CLEANUP) {
        throw new IllegalStateException("killed at " + step);
      }
    });
    assertThrows(IllegalStateException.class, () -> dying.publish(night2Changed("night-2-killed")));
    assertEquals(before, snapshot());
    assertEquals(6, stagingTables().size(), "every non-empty table was staged: " + stagingTables());
    assertStagingExpires();
    assertRerunRepairs(before, "night-2-after-kill");
  }

  /**
   * A load that ran twice (the connector retries a refused jobs.insert under a new job id, so a load whose answer was
   * lost appends again) is caught before the transaction: tonight's rows are counted in every staging table.
   */
  @Test
  void aStagingTableWithRowsLoadedTwiceStopsThePublish() {
    Map<String, List<List<Object>>> before = snapshot();
    BigQueryWarehouse doubled = warehouse(step -> {
      if (step == BigQueryWarehouse.Step.CHECK) {
        String staging = config.sqlReference(PublishPlan.STAGING_PREFIX + "sales_enriched_t" + attempts.get());
        try {
          bigQuery.query(QueryJobConfiguration.of("INSERT INTO " + staging + " SELECT * FROM " + staging));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
    });
    IllegalStateException error = assertThrows(IllegalStateException.class,
        () -> doubled.publish(night2Changed("night-2-doubled")));
    assertTrue(error.getMessage().contains("holds 4 rows, but tonight's sales_enriched has 2"), error.getMessage());
    assertEquals(before, snapshot());
    assertEquals(List.of(), stagingTables());
    assertRerunRepairs(before, "night-2-after-doubled-load");
  }

  @Test
  void theCommitFailingChangesNothing() {
    Map<String, List<List<Object>>> before = snapshot();
    server.faults().failCommit(500, 20);
    RuntimeException error = assertThrows(RuntimeException.class,
        () -> warehouse().publish(night2Changed("night-2-commit-fails")));
    assertTrue(chain(error).toLowerCase(java.util.Locale.ROOT).contains("transaction"), chain(error));
    assertEquals(before, snapshot());
    assertEquals(List.of(), stagingTables());
    server.faults().clear();
    assertRerunRepairs(before, "night-2-after-commit-failure");
  }

  private static long transactionsSent() {
    return server.statements().stream().filter(s -> s.startsWith("BEGIN TRANSACTION;")).count();
  }

  /**
   * BigQuery aborts the transaction when another job (an analyst's UPDATE) changed one of its tables meanwhile
   * (https://cloud.google.com/bigquery/docs/transactions#transaction_concurrency): the publish runs it again, and the
   * night is in every table once.
   */
  @Test
  void aTransactionAbortedByAConcurrentUpdateRunsAgainAndPublishesTheNightOnce() {
    Map<String, List<List<Object>>> before = snapshot();
    server.faults().failCommit(1);
    long sent = transactionsSent();
    assertRerunRepairs(before, "night-2-after-one-conflict");
    assertEquals(sent + 2, transactionsSent(), "the aborted transaction ran once more");
  }

  @Test
  void aTransactionAbortedOnEveryAttemptFailsTheRunAndChangesNothing() {
    Map<String, List<List<Object>>> before = snapshot();
    server.faults().failCommit(PUBLISH_RETRY.maxAttempts() + 1);
    long sent = transactionsSent();
    IllegalStateException error = assertThrows(IllegalStateException.class,
        () -> warehouse().publish(night2Changed("night-2-always-conflicting")));
    assertTrue(error.getMessage().startsWith("the publishing transaction was aborted by a concurrent update in each "
        + "of 3 attempts"), error.getMessage());
    assertTrue(error.getMessage().contains("Transaction is aborted due to concurrent update against table"),
        error.getMessage());
    assertEquals(sent + PUBLISH_RETRY.maxAttempts(), transactionsSent());
    assertEquals(before, snapshot());
    assertEquals(List.of(), stagingTables());
    server.faults().clear();
    assertRerunRepairs(before, "night-2-after-conflicts");
  }

  /** The query text of a view in the loopback, as BigQuery keeps it. */
  private static String viewQuery(String view) {
    return ((com.google.cloud.bigquery.ViewDefinition) bigQuery.getTable(TableId.of(DATASET, view)).getDefinition())
        .getQuery();
  }

  /**
   * The latest-night views filter on the latest run date as a constant (partition pruning,
   * https://cloud.google.com/bigquery/docs/querying-partitioned-tables#use_a_constant_filter_expression), replaced
   * after each commit; a rerun of an older date leaves them on the latest night.
   */
  @Test
  void theLatestNightViewsFilterOnTheLatestRunDateAsAConstant() throws InterruptedException {
    String latest = "run_date = DATE '" + NIGHT_2 + "'";
    assertTrue(viewQuery("segment_summary").contains(latest), viewQuery("segment_summary"));
    assertTrue(viewQuery("sales_joined").contains(latest), viewQuery("sales_joined"));
    warehouse().publish(night1().outputs());
    assertTrue(viewQuery("customer_latest_segment").contains(latest), viewQuery("customer_latest_segment"));
    assertEquals(count("segment_profiles", NIGHT_2), bigQuery.query(QueryJobConfiguration.of("SELECT COUNT(*) FROM "
        + config.sqlReference("segment_summary"))).iterateAll().iterator().next().get(0).getLongValue());
  }

  /** bigquery.partition_expiration_days is set on the existing tables (ALTER TABLE SET OPTIONS). */
  @Test
  void aPartitionExpirationIsAppliedToTheExistingTables() {
    BigQueryConfig expiring = new BigQueryConfig(server.projectId(), DATASET, LOCATION, BUCKET, null,
        Map.of("app", "segments"), Duration.ofHours(6), server.endpoint(), PUBLISH_RETRY, 36_500);
    Map<String, List<List<Object>>> before = snapshot();
    new BigQueryWarehouse(expiring, () -> BigQueryWarehouse.client(expiring, FAST_RETRIES), step -> { },
        Clock.fixed(server.now(), ZoneOffset.UTC), () -> "t" + attempts.incrementAndGet())
        .publish(night2Changed("night-2-expiring"));
    for (String table : TABLES) {
      assertEquals(36_500L * 86_400_000L, ((StandardTableDefinition) bigQuery.getTable(TableId.of(DATASET, table))
          .getDefinition()).getTimePartitioning().getExpirationMs(), table);
    }
    assertRerunRepairs(before, "night-2-after-expiration-set");
  }

  @Test
  void anExistingDatasetInAnotherLocationStopsTheRunBeforeAnyWrite() {
    bigQuery.create(DatasetInfo.newBuilder("sales_us").setLocation("US").build());
    BigQueryConfig elsewhere = new BigQueryConfig(server.projectId(), "sales_us", LOCATION, BUCKET, null, null, null,
        server.endpoint(), null, null);
    BigQueryWarehouse warehouse = new BigQueryWarehouse(elsewhere,
        () -> BigQueryWarehouse.client(elsewhere, FAST_RETRIES), step -> { },
        Clock.systemUTC(), () -> "us");
    IllegalStateException error = assertThrows(IllegalStateException.class,
        () -> warehouse.publish(night2Changed("night-2-us")));
    assertTrue(error.getMessage().contains("is in US, but bigquery.location is europe-west2"), error.getMessage());
    assertEquals(List.of(), server.tableNames("sales_us"));
  }

  /** BigQuery loads only from a bucket colocated with the dataset: a bucket elsewhere fails the night at staging. */
  @Test
  void aStagingBucketOutsideTheDatasetsLocationFailsTheNightBeforeAnyRowChanges() {
    server.createBucket("segments-staging-us", "US");
    BigQueryConfig usBucket = new BigQueryConfig(server.projectId(), DATASET, LOCATION, "segments-staging-us", null,
        null, Duration.ofHours(6), server.endpoint(), null, null);
    Map<String, List<List<Object>>> before = snapshot();
    BigQueryWarehouse warehouse = new BigQueryWarehouse(usBucket, () -> BigQueryWarehouse.client(usBucket,
        FAST_RETRIES), step -> { }, Clock.fixed(server.now(), ZoneOffset.UTC), () -> "us" + attempts.get());
    RuntimeException error = assertThrows(RuntimeException.class,
        () -> warehouse.publish(night2Changed("night-2-us-bucket")));
    assertTrue(error.getMessage().startsWith("loading customer_segments into staging table _staging_customer_segments_us"
        ) && error.getMessage().contains("gs://segments-staging-us")
        && error.getMessage().contains("Cannot read and write in different locations"), error.getMessage());
    assertEquals(before, snapshot());
    assertEquals(List.of(), stagingTables());
  }

  private static String chain(Throwable error) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      messages.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }
}
