package dev.segments.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.SamplePipelineRun;
import dev.segments.sink.OutputTable;
import dev.segments.sink.loopback.LoopbackBigQuery;
import dev.segments.sink.loopback.LoopbackGcs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate on the loopback BigQuery, through the command line with the official client and the connector: the first
 * night publishes its night_changes; the next night, with half the incomes tripled and {@code psi} in
 * alerts.block_on, exits 4 and leaves every table as it was; {@code segment status} reads the published night back.
 */
class BigQueryGateTest {
  private static final String PROJECT = "segments-gate";
  private static final String DATASET = "customer_segments";
  private static final String BUCKET = "segments-gate-staging";
  private static final String LOCATION = "EU";
  private static final String NIGHT_1 = SamplePipelineRun.AS_OF;
  private static final String NIGHT_2 = LocalDate.parse(NIGHT_1).plusDays(1).toString();

  @TempDir static Path temp;
  private static LoopbackBigQuery server;
  private static SamplePipelineRun.Result blocked;
  private static Map<String, List<List<Object>>> beforeBlock;
  private static Map<String, List<List<Object>>> afterBlock;

  @BeforeAll
  static void nights() throws IOException {
    server = LoopbackBigQuery.start(PROJECT);
    server.createBucket(BUCKET, LOCATION);
    LoopbackGcs.register(LocalSpark.session().sparkContext().hadoopConfiguration());
    SamplePipelineRun.Result first = SamplePipelineRun.execute(args("run", "--input",
        SamplePipelineRun.SAMPLE.toString(), "--as-of", NIGHT_1));
    assertEquals(0, first.exitCode(), first.printed());
    beforeBlock = snapshot();
    blocked = SamplePipelineRun.execute(args("run", "--input",
        PlantedShift.incomesTripled(temp.resolve("shifted")).toString(), "--as-of", NIGHT_2,
        "--set", "alerts.block_on=[psi]"));
    afterBlock = snapshot();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String[] args(String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of("--master", "local[2]", "--sink", "bigquery", "--k", "3",
        "--set", "bigquery.project=" + PROJECT,
        "--set", "bigquery.dataset=" + DATASET,
        "--set", "bigquery.location=" + LOCATION,
        "--set", "bigquery.temporary_gcs_bucket=" + BUCKET,
        "--set", "bigquery.endpoint=" + server.endpoint()));
    return args.toArray(String[]::new);
  }

  private static Map<String, List<List<Object>>> snapshot() {
    Map<String, List<List<Object>>> rows = new LinkedHashMap<>();
    for (OutputTable table : OutputTable.values()) {
      rows.put(table.tableName(), server.rows("SELECT * FROM " + DATASET + "." + table.tableName() + " ORDER BY ALL"));
    }
    return rows;
  }

  @Test
  void theFirstNightPublishesItsChangesWithNothingToCompare() {
    List<List<Object>> changes = server.rows("SELECT count(*), count(previous_run_date) FROM " + DATASET
        + ".night_changes WHERE run_date = DATE '" + NIGHT_1 + "'");
    assertTrue(((Number) changes.get(0).get(0)).longValue() > 10, changes.toString());
    assertEquals(0L, ((Number) changes.get(0).get(1)).longValue(), "no previous night: " + changes);
  }

  @Test
  void aBlockedNightChangesNoTableInBigQuery() {
    assertEquals(4, blocked.exitCode(), blocked.printed());
    assertTrue(blocked.printed().contains("breaches psi: psi of feature income "), blocked.printed());
    assertEquals(beforeBlock, afterBlock);
    assertTrue(afterBlock.values().stream().allMatch(rows -> rows.stream()
        .noneMatch(row -> row.get(0).toString().equals(NIGHT_2))));
  }

  @Test
  void statusReadsThePublishedNightBackThroughTheClient() {
    SamplePipelineRun.Result status = SamplePipelineRun.execute(args("status", "--as-of", NIGHT_1));
    assertEquals(0, status.exitCode(), status.printed());
    assertTrue(status.printed().startsWith("### Segmentation night of " + NIGHT_1 + ": published\n"),
        status.printed());
    assertTrue(status.printed().contains("- k = 3 segments"), status.printed());
    assertTrue(status.printed().contains("- first night: nothing to compare with"), status.printed());

    SamplePipelineRun.Result missing = SamplePipelineRun.execute(args("status", "--as-of", NIGHT_2));
    assertEquals(1, missing.exitCode(), missing.printed());
    assertTrue(missing.printed().contains("no night published for " + NIGHT_2), missing.printed());
  }
}
