package dev.segments.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.sun.net.httpserver.HttpExchange;
import dev.segments.JsonAnswer;
import com.sun.net.httpserver.HttpServer;
import dev.segments.sink.BigQueryPreflight.Check;
import dev.segments.sink.loopback.LoopbackBigQuery;
import dev.segments.sink.loopback.Step;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Preflight's BigQuery and staging-bucket checks on the loopback BigQuery and a loopback Cloud Storage JSON API. */
class BigQueryPreflightTest {
  private static final String PROJECT = "acme-segments";
  private static final String BATCH = "segments-batch@acme-segments.iam.gserviceaccount.com";
  private static final String TOKEN = "batch-token";
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 30);

  /**
   * The two Cloud Storage JSON API calls preflight makes, answered as the service documents them:
   * buckets.get (https://cloud.google.com/storage/docs/json_api/v1/buckets/get: the location in upper case) and
   * buckets.testIamPermissions (https://cloud.google.com/storage/docs/json_api/v1/buckets/testIamPermissions: the
   * subset of the asked permissions the caller holds; 404 for a bucket that does not exist); 401 without the token.
   */
  static final class LoopbackStorageApi implements AutoCloseable {
    record Bucket(String location, Set<String> granted) {}

    final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final HttpServer server;

    LoopbackStorageApi() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", this::handle);
      server.start();
    }

    String root() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
          JsonAnswer.send(exchange, 401, "{\"error\": {\"code\": 401, \"message\": \"Anonymous caller does not have "
              + "storage.buckets.get access.\"}}");
          return;
        }
        String[] path = exchange.getRequestURI().getPath().split("/");
        Bucket bucket = path.length > 4 ? buckets.get(path[4]) : null;
        if (bucket == null) {
          JsonAnswer.send(exchange, 404, "{\"error\": {\"code\": 404, \"message\": \"The specified bucket does not exist.\"}}");
        } else if (path.length == 7 && path[5].equals("iam") && path[6].equals("testPermissions")) {
          List<String> asked = new ArrayList<>();
          for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
            asked.add(URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8));
          }
          String held = asked.stream().filter(bucket.granted()::contains).map(p -> "\"" + p + "\"")
              .collect(Collectors.joining(", "));
          JsonAnswer.send(exchange, 200, "{\"kind\": \"storage#testIamPermissionsResponse\""
              + (held.isEmpty() ? "" : ", \"permissions\": [" + held + "]") + "}");
        } else {
          JsonAnswer.send(exchange, 200, "{\"location\": \"" + bucket.location() + "\", \"locationType\": \"region\"}");
        }
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private LoopbackBigQuery bq;
  private LoopbackStorageApi storage;
  private BigQuery client;

  @BeforeEach
  void start() throws IOException {
    bq = LoopbackBigQuery.start(PROJECT);
    storage = new LoopbackStorageApi();
    client = bq.client("europe-west2");
  }

  @AfterEach
  void stop() {
    storage.close();
    bq.close();
  }

  private List<Check> preflight(String location, String bucket) {
    BigQueryConfig config = BigQueryConfig.of(PROJECT, "customer_segments", location, bucket);
    return BigQueryPreflight.onStandIns(config, client, storage.root(), TOKEN, BATCH).run(RUN_DATE);
  }

  private static Check check(List<Check> checks, String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + name + " in " + checks));
  }

  private void aReadyProject() throws InterruptedException {
    client.create(DatasetInfo.newBuilder(PROJECT, "customer_segments").setLocation("europe-west2").build());
    client.query(queryOf("CREATE TABLE `acme-segments.customer_segments.model_runs` (run_date DATE, run_id STRING, "
        + "k INT64) PARTITION BY run_date"));
    storage.buckets.put("acme-segments-runs", new LoopbackStorageApi.Bucket("EUROPE-WEST2",
        Set.copyOf(BigQueryPreflight.STAGING_PERMISSIONS)));
  }

  private static QueryJobConfiguration queryOf(String sql) {
    return QueryJobConfiguration.newBuilder(sql).setUseLegacySql(false).build();
  }

  @Test
  void aReadyProjectPassesAndNothingIsWritten() throws Exception {
    aReadyProject();
    int statementsBefore = bq.statements().size();

    List<Check> checks = preflight("europe-west2", "acme-segments-runs");

    assertEquals(new Check("bigquery dataset acme-segments:customer_segments", true, "exists in europe-west2"),
        check(checks, "bigquery dataset acme-segments:customer_segments"));
    assertEquals(new Check("bigquery table model_runs", true, "the night's DELETE for a run date passes a dry run"),
        check(checks, "bigquery table model_runs"));
    assertNull(check(checks, "bigquery table customer_segments").passed());
    assertEquals(new Check("staging bucket gs://acme-segments-runs", true, "writable by " + BATCH + ", in EUROPE-WEST2"),
        check(checks, "staging bucket gs://acme-segments-runs"));
    assertEquals(List.of("DELETE FROM `acme-segments.customer_segments.model_runs` WHERE run_date = DATE '2026-11-30'"),
        bq.statements().subList(statementsBefore, bq.statements().size()));
    assertEquals(List.of(List.of(0L)), bq.rows("SELECT count(*) FROM customer_segments.model_runs"));
  }

  @Test
  void aMissingDatasetFailsWithTheCommandAndSkipsTheTables() {
    List<Check> checks = preflight("europe-west2", "acme-segments-runs");

    Check dataset = check(checks, "bigquery dataset acme-segments:customer_segments");
    assertEquals(false, dataset.passed());
    assertTrue(dataset.detail().endsWith("`bq --project_id=acme-segments mk --dataset --location=europe-west2 "
        + "acme-segments:customer_segments`)"), dataset.detail());
    assertEquals(Arrays.stream(OutputTable.values()).map(t -> "the dataset is not usable").toList(),
        checks.stream().filter(c -> c.name().startsWith("bigquery table ")).map(Check::detail).toList());
  }

  @Test
  void aDatasetInAnotherLocationFails() {
    client.create(DatasetInfo.newBuilder(PROJECT, "customer_segments").setLocation("EU").build());

    Check dataset = check(preflight("europe-west2", "acme-segments-runs"),
        "bigquery dataset acme-segments:customer_segments");

    assertEquals(false, dataset.passed());
    assertTrue(dataset.detail().startsWith("is in EU, but bigquery.location is europe-west2"), dataset.detail());
  }

  @Test
  void aRefusedDryRunNamesBothRoles() throws InterruptedException {
    aReadyProject();
    bq.faults().failNext(Step.JOBS_INSERT, 403);

    Check table = check(preflight("europe-west2", "acme-segments-runs"), "bigquery table model_runs");

    assertEquals(false, table.passed());
    assertTrue(table.detail().startsWith("refused as " + BATCH + " (HTTP 403 accessDenied"), table.detail());
    assertTrue(table.detail().contains("GRANT `roles/bigquery.dataEditor` ON SCHEMA `acme-segments.customer_segments`"
        + " TO \"serviceAccount:" + BATCH + "\""), table.detail());
    assertTrue(table.detail().contains("--role=roles/bigquery.jobUser"), table.detail());
  }

  @Test
  void aServerErrorIsNotReportedAsAMissingRole() {
    bq.faults().failNext(Step.DATASETS_GET, 400);

    Check dataset = check(preflight("europe-west2", "acme-segments-runs"),
        "bigquery dataset acme-segments:customer_segments");

    assertEquals(false, dataset.passed());
    assertTrue(dataset.detail().startsWith("could not be checked as " + BATCH + " (HTTP 400 "), dataset.detail());
    assertTrue(!dataset.detail().contains("GRANT"), dataset.detail());
  }

  @Test
  void aBucketWithoutWriteAccessOrInAnotherLocationOrMissingFails() throws InterruptedException {
    aReadyProject();
    storage.buckets.put("read-only", new LoopbackStorageApi.Bucket("EUROPE-WEST2", Set.of("storage.objects.get",
        "storage.objects.list")));
    storage.buckets.put("in-us", new LoopbackStorageApi.Bucket("US-CENTRAL1",
        Set.copyOf(BigQueryPreflight.STAGING_PERMISSIONS)));

    Check readOnly = check(preflight("europe-west2", "read-only"), "staging bucket gs://read-only");
    Check inUs = check(preflight("europe-west2", "in-us"), "staging bucket gs://in-us");
    Check missing = check(preflight("europe-west2", "no-such-bucket"), "staging bucket gs://no-such-bucket");

    assertEquals(BATCH + " lacks storage.objects.create, storage.objects.delete: `gcloud storage buckets "
        + "add-iam-policy-binding gs://read-only --member=serviceAccount:" + BATCH + " --role=roles/storage.objectAdmin`",
        readOnly.detail());
    assertTrue(inUs.detail().startsWith("is in US-CENTRAL1, but the dataset is in europe-west2"), inUs.detail());
    assertTrue(missing.detail().startsWith("does not exist (HTTP 404"), missing.detail());
    assertEquals(List.of(false, false, false), List.of(readOnly.passed(), inUs.passed(), missing.passed()));
  }

  /**
   * A bucket in a region the dataset's multi-region contains, or in its own location ("Loading data from Cloud
   * Storage", location considerations; the EU multi-region is the regions in EU member states, BigQuery and Cloud
   * Storage locations pages).
   */
  @Test
  void aRegionInsideTheDatasetsMultiRegionIsColocated() {
    assertTrue(BigQueryPreflight.colocated("EUROPE-WEST1", "EU"));
    assertTrue(BigQueryPreflight.colocated("EUROPE-WEST4", "EU"));
    assertTrue(BigQueryPreflight.colocated("EU", "EU"));
    assertTrue(BigQueryPreflight.colocated("EUROPE-WEST2", "europe-west2"));
    // London and Zurich are in Europe but not in the European Union, so not in the EU multi-region.
    assertEquals(false, BigQueryPreflight.colocated("EUROPE-WEST2", "EU"));
    assertEquals(false, BigQueryPreflight.colocated("EUROPE-WEST6", "EU"));
    assertEquals(false, BigQueryPreflight.colocated("EU", "europe-west2"));
    assertEquals(false, BigQueryPreflight.colocated("US-CENTRAL1", "EU"));
  }
}
