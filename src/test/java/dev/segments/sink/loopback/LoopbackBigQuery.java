package dev.segments.sink.loopback;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback BigQuery for tests: an HTTP server on 127.0.0.1 that answers the BigQuery REST v2 calls of the official
 * Java client ({@code google-cloud-bigquery}) and of the Spark BigQuery connector, keeps the tables in an in-process
 * DuckDB (one DuckDB schema per dataset), runs the GoogleSQL the product sends translated to DuckDB ({@link
 * GoogleSql}), serves {@code gs://} buckets from local folders ({@link LoopbackGcs}), and answers with BigQuery's
 * JSON shapes and error format, so the clients raise their real typed errors and run their real retries.
 *
 * <p>Usage:
 * <pre>{@code
 * try (LoopbackBigQuery bq = LoopbackBigQuery.start("test-project")) {
 *   bq.createBucket("staging-eu", "EU");                       // gs://staging-eu -> a local folder
 *   BigQuery client = bq.client("EU");                          // the official client on the loopback
 *   client.create(DatasetInfo.newBuilder("sales").setLocation("EU").build());
 *   client.query(QueryJobConfiguration.of("CREATE TABLE `test-project.sales.t` (d DATE, n INT64) PARTITION BY d"));
 *   // Spark: LoopbackGcs.register(spark.sparkContext().hadoopConfiguration()); then the connector with
 *   // bq.connectorOptions() plus table, temporaryGcsBucket=staging-eu, writeMethod=indirect.
 *   bq.rows("SELECT count(*) FROM sales.t");                    // DuckDB SQL over the stored tables
 *   Map<String, List<String>> before = bq.contents("sales");    // every table's rows, to compare after a fault
 *   bq.faults().failNext(Step.JOBS_INSERT, 500);                // the next jobs.insert answers backendError
 *   bq.faults().failNext(Step.JOBS_QUERY, 429);                 // rateLimitExceeded (the client retries it)
 *   bq.faults().failLoadInto("staging_segments");               // that table's next load job fails
 *   bq.faults().failCommit(1);                                  // the next COMMIT is aborted (concurrent update)
 *   bq.faults().beforeCommit(script -> { throw new IllegalStateException("killed"); });
 *   bq.faults().failWhen(r -> r.body().contains("COMMIT TRANSACTION"), 500);  // the commit never runs
 *   bq.advanceClock(Duration.ofDays(2));                        // staging tables past their expiry disappear
 *   bq.requests(); bq.statements();                             // every call and every SQL text received
 * }
 * }</pre>
 * Spark in another JVM: {@code spark.hadoop.fs.gs.impl=dev.segments.sink.loopback.LoopbackGcs} and {@code
 * spark.hadoop.fs.gs.loopback.root=}{@link #gcsRoot()}, with the test classes on its class path.
 *
 * <p>A query job with a {@code destinationTable} is refused (not supported). Jobs run when inserted and are DONE at once. The clock ({@link #now()}) moves only with {@link
 * #advanceClock(Duration)}; tables whose {@code expirationTime} has passed are deleted before the next call.
 * <p>The parts: {@link RestApi} routes the REST calls and writes BigQuery's JSON; {@link Jobs} runs query and load
 * jobs ({@link LoadJobs}) and scripts with their transactions; {@link SqlTranslation} runs each statement's DDL and
 * DML on the {@link DuckDbEngine} through {@link GoogleSql}; {@link Catalog} holds the datasets and tables;
 * {@link BigQueryRules} lists every BigQuery rule the double enforces, with its documentation page.
 *
 *
 * <h2>Not supported (what only a real project can show)</h2>
 * The BigQuery Storage Read and Write APIs (gRPC): the connector's reads and its {@code direct} write method do not
 * work here, only {@code indirect} writes through gs:// Parquet; load formats other than Parquet; copy and extract
 * jobs; jobs.list; sessions, temporary functions, temporary tables other than CREATE TEMP TABLE ... AS query,
 * procedural language beyond BEGIN ... EXCEPTION ... END
 * blocks and RAISE; ARRAY and STRUCT query parameters (scalar named and positional ones work); REPEATED and RECORD fields, range partitioning, ingestion-time pseudo columns;
 * INFORMATION_SCHEMA views; requirePartitionFilter; IAM, quotas, billing, slots, concurrent transactions (calls are
 * served one at a time); the GoogleSQL subset runs on DuckDB, whose
 * semantics differ at the edges (no collation; numeric precision), although ZetaSQL checks every statement first. Table sizes ({@code numBytes}) are estimates.
 */
public final class LoopbackBigQuery implements AutoCloseable {
  /** A call as received: method, path, query string and the (decompressed) body. */
  public record RecordedRequest(String method, String path, String query, String body) {
    @Override
    public String toString() {
      return method + " " + path + (query == null ? "" : "?" + query);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "loopback-bigquery");
    thread.setDaemon(true);
    return thread;
  });
  private final DuckDbEngine engine;
  private final Catalog catalog;
  private final Path storage;
  private final Faults faults = new Faults();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<String> statements = new CopyOnWriteArrayList<>();

  private LoopbackBigQuery(String projectId) throws IOException, SQLException {
    this.storage = Files.createTempDirectory("loopback-bigquery-");
    this.engine = new DuckDbEngine();
    this.catalog = new Catalog(projectId, engine);
    Jobs jobs = new Jobs(catalog, engine, new LoadJobs(this, catalog, engine, faults), faults, statements);
    RestApi rest = new RestApi(this, catalog, engine, jobs, faults, requests);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", rest::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts a loopback BigQuery for one project on an ephemeral port of 127.0.0.1. */
  public static LoopbackBigQuery start(String projectId) {
    try {
      return new LoopbackBigQuery(projectId);
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("cannot start the loopback BigQuery", e);
    }
  }

  /** The root URL, for {@code BigQueryOptions.setHost} and the connector's {@code bigQueryHttpEndpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String projectId() {
    return catalog.projectId();
  }

  public Faults faults() {
    return faults;
  }

  /** Every call received so far, in order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** Every SQL statement text received (queries, scripts, view bodies), in order. */
  public List<String> statements() {
    return List.copyOf(statements);
  }

  /** The server's clock: creation times, CURRENT_TIMESTAMP() and table expiry. */
  public synchronized Instant now() {
    return catalog.now();
  }

  public synchronized void advanceClock(Duration duration) {
    catalog.advanceClock(duration);
  }

  /** The folder holding one sub-folder per bucket, for {@link LoopbackGcs#ROOT_KEY} in a launched process. */
  public Path gcsRoot() {
    return storage.resolve("gcs");
  }

  /** Serves {@code gs://name} from a local folder; load jobs check the bucket's location against the dataset's. */
  public Path createBucket(String name, String location) {
    Path folder = gcsRoot().resolve(name);
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LoopbackGcs.serve(new LoopbackGcs.Bucket(name, folder, location, this));
    return folder;
  }

  /** The official client on this server, with no credentials and jobs in {@code location}. */
  public com.google.cloud.bigquery.BigQuery client(String location) {
    return com.google.cloud.bigquery.BigQueryOptions.newBuilder()
        .setProjectId(catalog.projectId())
        .setHost(endpoint())
        .setLocation(location)
        .setCredentials(com.google.cloud.NoCredentials.getInstance())
        .build()
        .getService();
  }

  /**
   * The connector options that point it at this server: {@code bigQueryHttpEndpoint}, a fixed {@code
   * gcpAccessToken} and the parent project.
   */
  public Map<String, String> connectorOptions() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("bigQueryHttpEndpoint", endpoint());
    options.put("gcpAccessToken", "loopback-token");
    options.put("parentProject", catalog.projectId());
    return options;
  }

  /** Runs DuckDB SQL over the stored tables ({@code dataset.table}) and answers the rows, for assertions. */
  public synchronized List<List<Object>> rows(String duckDbSql) {
    return engine.rows(duckDbSql);
  }

  /**
   * Every table's rows in a dataset (views left out), each row as its values' text joined by {@code |}, rows sorted:
   * for asserting that a failure left every table exactly as it was.
   */
  public synchronized Map<String, List<String>> contents(String dataset) {
    return catalog.contents(dataset);
  }

  /** The names of the tables and views of a dataset, sorted. */
  public synchronized List<String> tableNames(String dataset) {
    return catalog.tableNames(dataset);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    LoopbackGcs.stopServing(this);
    engine.close();
    try (var files = Files.walk(storage)) {
      files.sorted(Collections.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
