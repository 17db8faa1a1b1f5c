package dev.segments.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.QueryJobConfiguration;
import dev.segments.LocalSpark;
import dev.segments.SamplePipelineRun;
import dev.segments.sink.View;
import dev.segments.sink.ViewCatalog;
import dev.segments.sink.loopback.LoopbackBigQuery;
import dev.segments.sink.loopback.LoopbackGcs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nights of {@code segment run --sink bigquery} as the nightly batch runs it, through the command line, with
 * the real official client and the real connector against the loopback BigQuery: the first night on an empty
 * project, the second on changed sheets (a twentieth of the sales lines gone, another seed), then a rerun of the
 * second night; plus a dry run, which prints the statements and changes nothing. k is fixed to keep each run short.
 */
class BigQueryNightsTest {
  private static final String PROJECT = "segments-nightly";
  private static final String DATASET = "customer_segments";
  private static final String BUCKET = "segments-nightly-staging";
  private static final String LOCATION = "europe-west2";
  private static final String NIGHT_1 = SamplePipelineRun.AS_OF;
  private static final String NIGHT_2 = LocalDate.parse(NIGHT_1).plusDays(1).toString();
  private static final List<String> TABLES = List.of("customer_segments", "segment_profiles", "sales_enriched",
      "model_runs", "quarantine", "k_selection");

  @TempDir static Path temp;
  private static LoopbackBigQuery server;
  private static BigQuery bigQuery;
  private static Path changedInput;
  private static Map<String, List<List<Object>>> afterNight1;
  private static Map<String, List<List<Object>>> afterNight2;
  private static Map<String, List<List<Object>>> afterDryRun;
  private static Map<String, List<List<Object>>> afterRerun;
  private static String dryRunPrinted;

  @BeforeAll
  static void threeNights() throws IOException {
    server = LoopbackBigQuery.start(PROJECT);
    server.createBucket(BUCKET, LOCATION);
    LoopbackGcs.register(LocalSpark.session().sparkContext().hadoopConfiguration());
    bigQuery = server.client(LOCATION);
    changedInput = changedSample(temp.resolve("night-2"));

    run(SamplePipelineRun.SAMPLE, NIGHT_1, "night-1", "--seed", "42");
    afterNight1 = snapshot();
    run(changedInput, NIGHT_2, "night-2", "--seed", "7");
    afterNight2 = snapshot();
    dryRunPrinted = run(changedInput, NIGHT_2, "night-2-dry-run", "--seed", "7", "--dry-run");
    afterDryRun = snapshot();
    run(changedInput, NIGHT_2, "night-2-rerun", "--seed", "7");
    afterRerun = snapshot();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The sample with the last twentieth of its sales lines gone: the sheets a night later. */
  private static Path changedSample(Path folder) throws IOException {
    Files.createDirectories(folder);
    for (String sheet : List.of("customers.csv", "products.csv")) {
      Files.copy(SamplePipelineRun.SAMPLE.resolve(sheet), folder.resolve(sheet));
    }
    List<String> lines = Files.readAllLines(SamplePipelineRun.SAMPLE.resolve("sales.csv"));
    Files.write(folder.resolve("sales.csv"), lines.subList(0, lines.size() - lines.size() / 20));
    return folder;
  }

  private static String run(Path input, String asOf, String runId, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "--input", input.toString(), "--as-of", asOf,
        "--master", "local[2]", "--sink", "bigquery", "--k", "3",
        "--set", "run_id=" + runId,
        "--set", "bigquery.project=" + PROJECT,
        "--set", "bigquery.dataset=" + DATASET,
        "--set", "bigquery.location=" + LOCATION,
        "--set", "bigquery.temporary_gcs_bucket=" + BUCKET,
        "--set", "bigquery.endpoint=" + server.endpoint()));
    args.addAll(List.of(extra));
    SamplePipelineRun.Result result = SamplePipelineRun.execute(args.toArray(String[]::new));
    assertEquals(0, result.exitCode(), () -> "segment " + String.join(" ", args) + " failed:\n" + result.printed());
    return result.printed();
  }

  private static Map<String, List<List<Object>>> snapshot() {
    Map<String, List<List<Object>>> rows = new LinkedHashMap<>();
    for (String table : TABLES) {
      rows.put(table, server.rows("SELECT * FROM " + DATASET + "." + table + " ORDER BY ALL"));
    }
    return rows;
  }

  private static List<List<Object>> onDate(Map<String, List<List<Object>>> snapshot, String table, String date) {
    return snapshot.get(table).stream().filter(row -> row.get(0).toString().equals(date)).toList();
  }

  private static long sqlCount(String duckDbSql) {
    return ((Number) server.rows(duckDbSql).get(0).get(0)).longValue();
  }

  @Test
  void eachNightPublishesEveryTableForItsDateAndKeepsTheOtherDates() {
    for (String table : TABLES) {
      assertEquals(List.of(), onDate(afterNight1, table, NIGHT_2), table);
      assertEquals(onDate(afterNight1, table, NIGHT_1), onDate(afterNight2, table, NIGHT_1),
          table + ": night 2 left night 1 alone");
      assertEquals(onDate(afterNight1, table, NIGHT_1), onDate(afterRerun, table, NIGHT_1),
          table + ": the rerun left night 1 alone");
      assertEquals(onDate(afterNight2, table, NIGHT_2).size(), onDate(afterRerun, table, NIGHT_2).size(),
          table + ": the rerun replaced night 2 with as many rows");
    }
    for (String table : List.of("customer_segments", "segment_profiles", "sales_enriched", "model_runs",
        "k_selection")) {
      assertTrue(!onDate(afterNight1, table, NIGHT_1).isEmpty() && !onDate(afterNight2, table, NIGHT_2).isEmpty(),
          table);
    }
    assertEquals(List.of(List.of("night-1"), List.of("night-2-rerun")),
        server.rows("SELECT DISTINCT run_id FROM " + DATASET + ".model_runs ORDER BY 1"));
    assertEquals(List.of(List.of("night-2-rerun")), server.rows("SELECT DISTINCT run_id FROM " + DATASET
        + ".customer_segments WHERE run_date = DATE '" + NIGHT_2 + "'"));
    // Night 2 lost a twentieth of the sales lines; the rest are there, each with its customer's segment.
    long salesNight1 = sqlCount("SELECT count(*) FROM " + DATASET + ".sales_enriched WHERE run_date = DATE '" + NIGHT_1
        + "'");
    long salesNight2 = sqlCount("SELECT count(*) FROM " + DATASET + ".sales_enriched WHERE run_date = DATE '" + NIGHT_2
        + "'");
    assertTrue(salesNight2 < salesNight1 && salesNight2 > 0.9 * salesNight1, salesNight1 + " then " + salesNight2);
    assertEquals(0, sqlCount("SELECT count(*) FROM " + DATASET + ".sales_enriched s LEFT JOIN " + DATASET
        + ".customer_segments c ON c.customer_id = s.customer_id AND c.run_date = s.run_date"
        + " WHERE c.segment_id IS DISTINCT FROM s.segment_id"));
    assertEquals(List.of(), server.tableNames(DATASET).stream().filter(t -> t.startsWith("_staging_")).toList());
  }

  @Test
  void theRerunOfADateGivesTheSameSegmentsUnderTheSameIds() {
    Map<Object, Long> firstRun = segmentSizes(onDate(afterNight2, "customer_segments", NIGHT_2));
    Map<Object, Long> rerun = segmentSizes(onDate(afterRerun, "customer_segments", NIGHT_2));
    assertEquals(3, rerun.size());
    // Same sheets and seed: the rerun's segments and ids are the first night-2 run's.
    assertEquals(firstRun, rerun);
  }

  /** Customers per segment_id (the fourth column of customer_segments, after run_date, run_id, customer_id). */
  private static Map<Object, Long> segmentSizes(List<List<Object>> customerSegments) {
    Map<Object, Long> sizes = new HashMap<>();
    customerSegments.forEach(row -> sizes.merge(row.get(3), 1L, Long::sum));
    return sizes;
  }

  @Test
  void segmentIdsStayWithTheGroupsFoundAgainAndTheMigrationViewCountsTheMoves() throws InterruptedException {
    List<Map<String, Long>> moves = new ArrayList<>();
    for (FieldValueList row : bigQuery.query(QueryJobConfiguration.of("SELECT from_segment_id, to_segment_id, "
        + "customers FROM `" + PROJECT + "." + DATASET + ".segment_migration` ORDER BY customers DESC")).iterateAll()) {
      moves.add(Map.of("from", row.get("from_segment_id").getLongValue(), "to",
          row.get("to_segment_id").getLongValue(), "customers", row.get("customers").getLongValue()));
    }
    // The view against the tables themselves: every customer in both nights, counted once per (from, to).
    List<List<Object>> direct = server.rows("SELECT a.segment_id, b.segment_id, count(*) FROM " + DATASET
        + ".customer_segments a JOIN " + DATASET + ".customer_segments b USING (customer_id) WHERE a.run_date = DATE '"
        + NIGHT_1 + "' AND b.run_date = DATE '" + NIGHT_2 + "' GROUP BY ALL ORDER BY 3 DESC, 1, 2");
    assertEquals(direct.size(), moves.size());
    assertEquals(direct.stream().mapToLong(r -> ((Number) r.get(2)).longValue()).sum(),
        moves.stream().mapToLong(m -> m.get("customers")).sum());

    Map<Long, Long> fromSizes = new HashMap<>();
    Map<Long, Long> toSizes = new HashMap<>();
    for (Map<String, Long> move : moves) {
      fromSizes.merge(move.get("from"), move.get("customers"), Long::sum);
      toSizes.merge(move.get("to"), move.get("customers"), Long::sum);
    }
    int foundAgain = 0;
    for (Map<String, Long> move : moves) {
      long customers = move.get("customers");
      if (customers >= 0.8 * fromSizes.get(move.get("from")) && customers >= 0.8 * toSizes.get(move.get("to"))) {
        foundAgain++;
        assertEquals(move.get("from"), move.get("to"), "a segment found again kept its id: " + moves);
      }
    }
    assertTrue(foundAgain > 0, "no segment was found again, so this proves nothing: " + moves);
  }

  @Test
  void everyViewAnswersAfterTheNights() throws InterruptedException {
    for (View view : ViewCatalog.load().views()) {
      long rows = bigQuery.query(QueryJobConfiguration.of("SELECT COUNT(*) FROM `" + PROJECT + "." + DATASET + "."
          + view.name() + "`")).iterateAll().iterator().next().get(0).getLongValue();
      assertTrue(rows > 0, view.name() + " answers " + rows + " rows");
    }
  }

  @Test
  void theDryRunPrintsTheTransactionAndChangesNothing() {
    assertEquals(afterNight2, afterDryRun);
    assertTrue(dryRunPrinted.contains("BEGIN TRANSACTION;\nDELETE FROM `" + PROJECT + "." + DATASET
        + ".customer_segments` WHERE run_date = DATE '" + NIGHT_2 + "';\nINSERT INTO `" + PROJECT + "." + DATASET
        + ".customer_segments` (`run_date`, `run_id`, `customer_id`, `segment_id`"), dryRunPrinted);
    assertTrue(dryRunPrinted.contains("COMMIT TRANSACTION;"), dryRunPrinted);
    for (View view : ViewCatalog.load().views()) {
      assertTrue(dryRunPrinted.contains("CREATE OR REPLACE VIEW `" + PROJECT + "." + DATASET + "." + view.name()
          + "`"), view.name());
    }
    assertTrue(dryRunPrinted.contains("writeMethod=indirect, temporaryGcsBucket=" + BUCKET
        + ", intermediateFormat=parquet, createDisposition=CREATE_NEVER"), dryRunPrinted);
  }
}
