package dev.segments.sink.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.segments.sink.loopback.GoogleSql.Block;
import dev.segments.sink.loopback.GoogleSql.Node;
import dev.segments.sink.loopback.GoogleSql.Statement;
import dev.segments.sink.loopback.GoogleSql.TablePath;
import dev.segments.sink.loopback.GoogleSql.Token;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

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
 *   bq.faults().failCommit(1);                                  // the next COMMIT TRANSACTION fails, rolled back
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
 *
 * <h2>BigQuery rules enforced (each tested in LoopbackRulesTest, LoopbackConnectorTest or LoopbackViewsTest)</h2>
 * <ol>
 *   <li>Schema update options (ALLOW_FIELD_ADDITION, ALLOW_FIELD_RELAXATION) only with WRITE_APPEND, or with
 *       WRITE_TRUNCATE on a partition decorator; otherwise the load fails "Schema update options should only be
 *       specified with WRITE_APPEND disposition, or with WRITE_TRUNCATE disposition on a table partition."
 *       https://cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobConfigurationLoad (schemaUpdateOptions);
 *       without them a load may not add fields or relax REQUIRED ones.</li>
 *   <li>Partition decorators {@code table$partition}: only on a partitioned table ("Cannot add storage to a
 *       non-partitioned table with a partition reference"), in the format of its partitioning type (yyyymmddhh,
 *       yyyymmdd, yyyymm, yyyy), and every row must belong to that partition; WRITE_TRUNCATE replaces only that
 *       partition. https://cloud.google.com/bigquery/docs/managing-partitioned-table-data#partition_decorators and
 *       https://cloud.google.com/bigquery/docs/load-data-partitioned-tables#write_data_to_a_specific_partition</li>
 *   <li>An existing table keeps its partitioning and clustering spec: a load that states a different one fails
 *       "Incompatible table partitioning specification. Expects partitioning specification ..., but input
 *       partitioning specification is ..." (the message and spec format as quoted in
 *       https://github.com/GoogleCloudDataproc/spark-bigquery-connector/issues/164; the connector's dynamic
 *       overwrite hitting it: issue #1514); CREATE OR REPLACE TABLE with another spec fails "Cannot replace a table
 *       with a different partitioning spec. Instead, DROP the table, and then recreate it." (the error as quoted in
 *       https://github.com/dataform-co/dataform/issues/590); the partitioning column must be DATE, TIMESTAMP or
 *       DATETIME (https://cloud.google.com/bigquery/docs/partitioned-tables#date_timestamp_partitioned_tables), at
 *       most four clustering columns that exist (https://cloud.google.com/bigquery/docs/clustered-tables#limitations).
 *       </li>
 *   <li>Locations: a job runs in one location; a dataset elsewhere is "Not found: Dataset ... was not found in
 *       location X" (404), so queries and DML run at the dataset's location
 *       (https://cloud.google.com/bigquery/docs/locations#specify_locations); a load reads only a bucket in the
 *       dataset's region or contained in its multi-region, except into the US multi-region ("Cannot read and write in
 *       different locations"; https://cloud.google.com/bigquery/docs/loading-data-cloud-storage-parquet#limitations).
 *       A dataset's location cannot change.</li>
 *   <li>Multi-statement transactions are atomic: COMMIT applies every change, ROLLBACK or a failure before COMMIT
 *       none; a script ending inside a transaction is rolled back; an EXCEPTION handler gets control with the
 *       transaction open; transactions do not nest; DDL on permanent tables, views or datasets is refused inside one.
 *       https://cloud.google.com/bigquery/docs/transactions</li>
 *   <li>A job or call naming a missing dataset, table or source URI is 404 {@code notFound}; creating an existing
 *       one is 409 {@code duplicate}; errors in BigQuery's format and reasons
 *       (https://cloud.google.com/bigquery/docs/error-messages).</li>
 *   <li>Write and create dispositions: CREATE_NEVER into a missing table is 404; WRITE_EMPTY into a non-empty table
 *       fails; WRITE_TRUNCATE replaces the data and schema; a load into a view fails.
 *       https://cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobConfigurationLoad</li>
 *   <li>Every statement is analysed by ZetaSQL ({@link ZetaSqlAnalyzer}) against the real table schemas before it
 *       runs: a view or query BigQuery would reject (unknown column, wrong function signature, syntax) is 400
 *       {@code invalidQuery} and changes nothing. https://github.com/google/zetasql</li>
 *   <li>ALTER TABLE ADD COLUMN adds NULLABLE columns only
 *       (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-definition-language#alter_table_add_column_statement).</li>
 *   <li>DELETE and UPDATE need a WHERE clause
 *       (https://cloud.google.com/bigquery/docs/reference/standard-sql/dml-syntax#delete_statement).</li>
 *   <li>Names: dataset IDs letters, digits and underscores, at most 1024
 *       (https://cloud.google.com/bigquery/docs/datasets#dataset-naming); table IDs letters, marks, numbers,
 *       connectors, dashes and spaces, at most 1024 (https://cloud.google.com/bigquery/docs/tables#table_naming).</li>
 *   <li>Table expiration: a table past its {@code expirationTime} (or its dataset's default table expiration) is
 *       deleted (https://cloud.google.com/bigquery/docs/managing-tables#updating_a_tables_expiration_time).</li>
 *   <li>jobs.query is idempotent by {@code requestId}: a retried request answers the first outcome
 *       (https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query#QueryRequest).</li>
 * </ol>
 *
 * <h2>Not supported (what only a real project can show)</h2>
 * The BigQuery Storage Read and Write APIs (gRPC): the connector's reads and its {@code direct} write method do not
 * work here, only {@code indirect} writes through gs:// Parquet; load formats other than Parquet; copy and extract
 * jobs; jobs.list; sessions, temporary tables and functions, procedural language beyond BEGIN ... EXCEPTION ... END
 * blocks and RAISE; ARRAY and STRUCT query parameters (scalar named and positional ones work); REPEATED and RECORD fields, range partitioning, ingestion-time pseudo columns;
 * INFORMATION_SCHEMA views; requirePartitionFilter; IAM, quotas, billing, slots, concurrent transactions (calls are
 * served one at a time); the GoogleSQL subset runs on DuckDB, whose
 * semantics differ at the edges (for example 1/0 is NULL in DuckDB, an error in BigQuery; no collation; numeric
 * precision), although ZetaSQL checks every statement first. Table sizes ({@code numBytes}) are estimates.
 */
public final class LoopbackBigQuery implements AutoCloseable {
  static final String ANONYMOUS_DATASET = "_loopback_query_results";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String API = "/bigquery/v2/projects/";

  /** A call as received: method, path, query string and the (decompressed) body. */
  public record RecordedRequest(String method, String path, String query, String body) {
    @Override
    public String toString() {
      return method + " " + path + (query == null ? "" : "?" + query);
    }
  }

  private final String projectId;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "loopback-bigquery");
    thread.setDaemon(true);
    return thread;
  });
  private final Connection duck;
  private final Path storage;
  private final Faults faults = new Faults();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<String> statements = new CopyOnWriteArrayList<>();
  private final Map<String, DatasetMeta> datasets = new LinkedHashMap<>();
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private Instant now = Instant.parse("2026-11-30T02:00:00Z");
  private SqlAnalyzer analyzer = new ZetaSqlAnalyzer();

  private LoopbackBigQuery(String projectId) throws IOException, SQLException {
    this.projectId = projectId;
    this.storage = Files.createTempDirectory("loopback-bigquery-");
    this.duck = DriverManager.getConnection("jdbc:duckdb:");
    try (java.sql.Statement statement = duck.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
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
    return projectId;
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
    return now;
  }

  public synchronized void advanceClock(Duration duration) {
    now = now.plus(duration);
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
        .setProjectId(projectId)
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
    options.put("parentProject", projectId);
    return options;
  }

  /** Runs DuckDB SQL over the stored tables ({@code dataset.table}) and answers the rows, for assertions. */
  public synchronized List<List<Object>> rows(String duckDbSql) {
    try (java.sql.Statement statement = duck.createStatement(); ResultSet rs = statement.executeQuery(duckDbSql)) {
      List<List<Object>> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int c = 1; c <= columns; c++) {
          row.add(rs.getObject(c));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Every table's rows in a dataset (views left out), each row as its values' text joined by {@code |}, rows sorted:
   * for asserting that a failure left every table exactly as it was.
   */
  public synchronized Map<String, List<String>> contents(String dataset) {
    expireTables();
    Map<String, List<String>> contents = new java.util.TreeMap<>();
    DatasetMeta meta = datasets.get(dataset);
    if (meta != null) {
      for (TableMeta table : meta.tables.values()) {
        if (table.type.equals("TABLE")) {
          contents.put(table.id, rows("SELECT * FROM " + table.duckName()).stream()
              .map(row -> row.stream().map(String::valueOf).collect(Collectors.joining("|"))).sorted().toList());
        }
      }
    }
    return contents;
  }

  /** The names of the tables and views of a dataset, sorted. */
  public synchronized List<String> tableNames(String dataset) {
    expireTables();
    DatasetMeta meta = datasets.get(dataset);
    return meta == null ? List.of() : meta.tables.keySet().stream().sorted().toList();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    LoopbackGcs.stopServing(this);
    try {
      duck.close();
    } catch (SQLException e) {
      // the database is in memory; nothing is lost
    }
    try (var files = Files.walk(storage)) {
      files.sorted(Collections.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // HTTP

  private void handle(HttpExchange exchange) {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
      if (override != null) {
        method = override;
      }
      String body = readBody(exchange);
      URI uri = exchange.getRequestURI();
      RecordedRequest request = new RecordedRequest(method, uri.getPath(), uri.getRawQuery(), body);
      requests.add(request);
      int status = 200;
      JsonNode answer;
      try {
        faults.checkRequest(request);
        synchronized (this) {
          expireTables();
          answer = route(method, uri.getPath(), query(uri.getRawQuery()), body.isEmpty() ? NODES.objectNode()
              : JSON.readTree(body));
        }
      } catch (BigQueryError e) {
        status = e.status;
        answer = e.body();
      } catch (RuntimeException e) {
        status = 500;
        answer = new BigQueryError(500, "internalError", "loopback BigQuery failed: " + e).body();
      }
      byte[] bytes = answer == null ? new byte[0] : JSON.writeValueAsBytes(answer);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
      if (answer == null) {
        exchange.sendResponseHeaders(status == 200 ? 204 : status, -1);
      } else {
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readBody(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  private JsonNode route(String method, String path, Map<String, String> params, JsonNode body) {
    if (!path.startsWith(API)) {
      throw BigQueryError.notFound("URL " + path);
    }
    String[] parts = path.substring(API.length()).split("/");
    String project = decode(parts[0]);
    List<String> rest = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      rest.add(decode(parts[i]));
    }
    String shape = method + " " + rest.stream().map(p -> "%").collect(Collectors.joining("/"));
    String kind = rest.isEmpty() ? "" : rest.get(0);
    if (kind.equals("datasets")) {
      switch (shape) {
        case "GET %" -> {
          faults.check(Step.DATASETS_LIST);
          return listDatasets(project);
        }
        case "POST %" -> {
          faults.check(Step.DATASETS_INSERT);
          return insertDataset(project, body);
        }
        case "GET %/%" -> {
          faults.check(Step.DATASETS_GET);
          return datasetJson(dataset(project, rest.get(1)));
        }
        case "PATCH %/%", "PUT %/%" -> {
          return patchDataset(dataset(project, rest.get(1)), body);
        }
        case "DELETE %/%" -> {
          faults.check(Step.DATASETS_DELETE);
          deleteDataset(project, rest.get(1), "true".equals(params.get("deleteContents")));
          return null;
        }
        case "GET %/%/%" -> {
          faults.check(Step.TABLES_LIST);
          return listTables(dataset(project, rest.get(1)));
        }
        case "POST %/%/%" -> {
          faults.check(Step.TABLES_INSERT);
          return insertTable(project, rest.get(1), body);
        }
        case "GET %/%/%/%" -> {
          faults.check(Step.TABLES_GET);
          return tableJson(table(project, rest.get(1), rest.get(3)));
        }
        case "PATCH %/%/%/%", "PUT %/%/%/%" -> {
          faults.check(Step.TABLES_PATCH);
          return patchTable(table(project, rest.get(1), rest.get(3)), body);
        }
        case "DELETE %/%/%/%" -> {
          faults.check(Step.TABLES_DELETE);
          deleteTable(table(project, rest.get(1), rest.get(3)));
          return null;
        }
        case "GET %/%/%/%/%" -> {
          faults.check(Step.TABLEDATA_LIST);
          return listTableData(project, rest.get(1), rest.get(3), params);
        }
        default -> { }
      }
    } else if (kind.equals("jobs")) {
      switch (shape) {
        case "POST %" -> {
          faults.check(Step.JOBS_INSERT);
          return insertJob(project, body);
        }
        case "GET %/%" -> {
          faults.check(Step.JOBS_GET);
          return jobJson(job(project, rest.get(1)));
        }
        case "POST %/%/%" -> {
          faults.check(Step.JOBS_CANCEL);
          ObjectNode answer = NODES.objectNode();
          answer.put("kind", "bigquery#jobCancelResponse");
          answer.set("job", jobJson(job(project, rest.get(1))));
          return answer;
        }
        default -> { }
      }
    } else if (kind.equals("queries")) {
      switch (shape) {
        case "POST %" -> {
          faults.check(Step.JOBS_QUERY);
          return query(project, body);
        }
        case "GET %/%" -> {
          faults.check(Step.JOBS_GET_QUERY_RESULTS);
          return getQueryResults(job(project, rest.get(1)), params);
        }
        default -> { }
      }
    }
    throw BigQueryError.notFound("the loopback BigQuery does not serve " + method + " " + path);
  }

  private static String decode(String part) {
    return URLDecoder.decode(part, StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Datasets

  private static final Pattern DATASET_ID = Pattern.compile("[A-Za-z0-9_]{1,1024}");
  private static final Pattern TABLE_ID = Pattern.compile("[\\p{L}\\p{M}\\p{N}\\p{Pc}\\p{Pd}\\p{Zs}]{1,1024}");

  static final class DatasetMeta {
    final String project;
    final String id;
    final String location;
    final Map<String, String> labels = new LinkedHashMap<>();
    Long defaultTableExpirationMs;
    String description;
    final long created;
    long modified;
    final Map<String, TableMeta> tables = new LinkedHashMap<>();

    DatasetMeta(String project, String id, String location, long created) {
      this.project = project;
      this.id = id;
      this.location = location;
      this.created = created;
      this.modified = created;
    }
  }

  static final class TableMeta {
    final DatasetMeta dataset;
    final String id;
    final String type;
    ArrayNode fields;
    ObjectNode timePartitioning;
    List<String> clustering = List.of();
    Long expirationTime;
    final Map<String, String> labels = new LinkedHashMap<>();
    String description;
    String viewQuery;
    final long created;
    long modified;

    TableMeta(DatasetMeta dataset, String id, String type, long created) {
      this.dataset = dataset;
      this.id = id;
      this.type = type;
      this.created = created;
      this.modified = created;
    }

    String duckName() {
      return GoogleSql.quoteIdentifier(dataset.id) + "." + GoogleSql.quoteIdentifier(id);
    }

    String friendly() {
      return dataset.project + ":" + dataset.id + "." + id;
    }
  }

  private DatasetMeta dataset(String project, String id) {
    DatasetMeta meta = project.equals(projectId) ? datasets.get(id) : null;
    if (meta == null) {
      throw BigQueryError.notFound("Dataset " + project + ":" + id);
    }
    return meta;
  }

  private TableMeta table(String project, String dataset, String table) {
    if (dataset.equals(ANONYMOUS_DATASET)) {
      throw BigQueryError.notFound("Table " + project + ":" + dataset + "." + table);
    }
    TableMeta meta = dataset(project, dataset).tables.get(table);
    if (meta == null) {
      throw BigQueryError.notFound("Table " + project + ":" + dataset + "." + table);
    }
    return meta;
  }

  private long millis() {
    return now.toEpochMilli();
  }

  private ObjectNode insertDataset(String project, JsonNode body) {
    JsonNode reference = body.path("datasetReference");
    String id = reference.path("datasetId").asText("");
    String location = body.path("location").asText("US");
    Map<String, String> labels = new LinkedHashMap<>();
    body.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    DatasetMeta meta = createDataset(project, id, location, labels, false);
    if (body.hasNonNull("defaultTableExpirationMs")) {
      meta.defaultTableExpirationMs = body.get("defaultTableExpirationMs").asLong();
    }
    meta.description = body.path("description").isMissingNode() ? null : body.path("description").asText();
    return datasetJson(meta);
  }

  private DatasetMeta createDataset(String project, String id, String location, Map<String, String> labels,
      boolean ifNotExists) {
    if (!project.equals(projectId)) {
      throw new BigQueryError(403, "accessDenied",
          "Access Denied: Project " + project + ": the loopback BigQuery serves project " + projectId);
    }
    if (!DATASET_ID.matcher(id).matches()) {
      throw BigQueryError.invalid("Invalid dataset ID \"" + id + "\". Dataset IDs must be alphanumeric (plus "
          + "underscores) and must be at most 1024 characters long.");
    }
    DatasetMeta existing = datasets.get(id);
    if (existing != null) {
      if (ifNotExists) {
        return existing;
      }
      throw BigQueryError.duplicate("Dataset " + project + ":" + id);
    }
    DatasetMeta meta = new DatasetMeta(project, id, location, millis());
    meta.labels.putAll(labels);
    execute("CREATE SCHEMA " + GoogleSql.quoteIdentifier(id));
    datasets.put(id, meta);
    return meta;
  }

  private ObjectNode patchDataset(DatasetMeta meta, JsonNode body) {
    if (body.has("labels")) {
      meta.labels.clear();
      body.path("labels").fields().forEachRemaining(e -> {
        if (!e.getValue().isNull()) {
          meta.labels.put(e.getKey(), e.getValue().asText());
        }
      });
    }
    if (body.has("defaultTableExpirationMs")) {
      meta.defaultTableExpirationMs = body.get("defaultTableExpirationMs").isNull()
          ? null : body.get("defaultTableExpirationMs").asLong();
    }
    if (body.has("location") && !body.get("location").asText().equalsIgnoreCase(meta.location)) {
      throw BigQueryError.invalid("Cannot change dataset location from " + meta.location + " to "
          + body.get("location").asText());
    }
    meta.modified = millis();
    return datasetJson(meta);
  }

  private void deleteDataset(String project, String id, boolean deleteContents) {
    DatasetMeta meta = dataset(project, id);
    if (!meta.tables.isEmpty() && !deleteContents) {
      throw new BigQueryError(400, "resourceInUse", "Dataset " + project + ":" + id + " is still in use");
    }
    execute("DROP SCHEMA " + GoogleSql.quoteIdentifier(id) + " CASCADE");
    datasets.remove(id);
  }

  private ObjectNode datasetJson(DatasetMeta meta) {
    ObjectNode json = NODES.objectNode();
    json.put("kind", "bigquery#dataset");
    json.put("etag", Long.toHexString(meta.modified));
    json.put("id", meta.project + ":" + meta.id);
    json.put("selfLink", endpoint() + API + meta.project + "/datasets/" + meta.id);
    ObjectNode reference = json.putObject("datasetReference");
    reference.put("datasetId", meta.id);
    reference.put("projectId", meta.project);
    if (!meta.labels.isEmpty()) {
      ObjectNode labels = json.putObject("labels");
      meta.labels.forEach(labels::put);
    }
    if (meta.description != null) {
      json.put("description", meta.description);
    }
    if (meta.defaultTableExpirationMs != null) {
      json.put("defaultTableExpirationMs", String.valueOf(meta.defaultTableExpirationMs));
    }
    json.put("creationTime", String.valueOf(meta.created));
    json.put("lastModifiedTime", String.valueOf(meta.modified));
    json.put("location", meta.location);
    json.put("type", "DEFAULT");
    return json;
  }

  private ObjectNode listDatasets(String project) {
    ObjectNode json = NODES.objectNode();
    json.put("kind", "bigquery#datasetList");
    json.put("etag", Long.toHexString(millis()));
    if (project.equals(projectId) && !datasets.isEmpty()) {
      ArrayNode list = json.putArray("datasets");
      for (DatasetMeta meta : datasets.values()) {
        ObjectNode item = list.addObject();
        item.put("kind", "bigquery#dataset");
        item.put("id", meta.project + ":" + meta.id);
        item.set("datasetReference", datasetJson(meta).get("datasetReference"));
        item.put("location", meta.location);
      }
    }
    return json;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Tables

  private void expireTables() {
    for (DatasetMeta meta : datasets.values()) {
      Iterator<TableMeta> tables = meta.tables.values().iterator();
      while (tables.hasNext()) {
        TableMeta table = tables.next();
        if (table.expirationTime != null && table.expirationTime <= millis()) {
          execute("DROP " + (table.type.equals("VIEW") ? "VIEW " : "TABLE ") + table.duckName());
          tables.remove();
        }
      }
    }
  }

  private ObjectNode insertTable(String project, String datasetId, JsonNode body) {
    DatasetMeta meta = dataset(project, datasetId);
    String id = body.path("tableReference").path("tableId").asText("");
    checkTableId(id);
    if (meta.tables.containsKey(id)) {
      throw BigQueryError.duplicate("Table " + project + ":" + datasetId + "." + id);
    }
    TableMeta table;
    if (body.has("view")) {
      String sql = body.path("view").path("query").asText();
      if (body.path("view").path("useLegacySql").asBoolean(false)) {
        throw BigQueryError.invalid("The loopback BigQuery runs GoogleSQL only (useLegacySql is true)");
      }
      statements.add(sql);
      analyze(sql, null, List.of());
      table = createView(meta, id, sql, meta.location);
    } else {
      ArrayNode fields = body.path("schema").path("fields").isArray()
          ? (ArrayNode) body.path("schema").path("fields").deepCopy() : NODES.arrayNode();
      ObjectNode partitioning = body.hasNonNull("timePartitioning")
          ? (ObjectNode) body.get("timePartitioning").deepCopy() : null;
      List<String> clustering = new ArrayList<>();
      body.path("clustering").path("fields").forEach(f -> clustering.add(f.asText()));
      if (body.has("rangePartitioning")) {
        throw BigQueryError.invalid("The loopback BigQuery does not support range partitioning");
      }
      table = createTable(meta, id, fields, partitioning, clustering);
    }
    if (body.hasNonNull("expirationTime")) {
      table.expirationTime = body.get("expirationTime").asLong();
    }
    body.path("labels").fields().forEachRemaining(e -> table.labels.put(e.getKey(), e.getValue().asText()));
    table.description = body.hasNonNull("description") ? body.get("description").asText() : null;
    return tableJson(table);
  }

  private static void checkTableId(String id) {
    if (!TABLE_ID.matcher(id).matches()) {
      throw BigQueryError.invalid("Invalid table ID \"" + id + "\". Table IDs must be alphanumeric (plus "
          + "underscores, dashes and spaces) and must be at most 1024 characters long.");
    }
  }

  /** Creates an empty table; the schema, partitioning and clustering are checked as BigQuery checks them. */
  private TableMeta createTable(DatasetMeta meta, String id, ArrayNode fields, ObjectNode partitioning,
      List<String> clustering) {
    checkTableId(id);
    Set<String> names = new LinkedHashSet<>();
    List<String> columns = new ArrayList<>();
    for (JsonNode field : fields) {
      ObjectNode f = (ObjectNode) field;
      String name = f.path("name").asText();
      if (!names.add(name.toLowerCase(Locale.ROOT))) {
        throw BigQueryError.invalid("Field " + name + " already exists in schema");
      }
      f.put("type", legacyType(f.path("type").asText()));
      if (!f.hasNonNull("mode")) {
        f.put("mode", "NULLABLE");
      }
      columns.add(GoogleSql.quoteIdentifier(name) + " " + duckType(f) + (f.path("mode").asText().equals("REQUIRED")
          ? " NOT NULL" : ""));
    }
    if (partitioning != null) {
      checkPartitioning(meta, id, fields, partitioning);
    }
    if (clustering.size() > 4) {
      throw BigQueryError.invalid("Too many clustering fields: " + clustering.size() + ", only 4 are allowed");
    }
    for (String column : clustering) {
      if (field(fields, column) == null) {
        throw BigQueryError.invalid("The field specified for clustering cannot be found in the schema. Invalid "
            + "field: " + column + ".");
      }
    }
    execute("CREATE TABLE " + GoogleSql.quoteIdentifier(meta.id) + "." + GoogleSql.quoteIdentifier(id) + " ("
        + String.join(", ", columns) + ")");
    TableMeta table = new TableMeta(meta, id, "TABLE", millis());
    table.fields = fields;
    table.timePartitioning = partitioning;
    table.clustering = List.copyOf(clustering);
    if (meta.defaultTableExpirationMs != null) {
      table.expirationTime = millis() + meta.defaultTableExpirationMs;
    }
    meta.tables.put(id, table);
    return table;
  }

  private static void checkPartitioning(DatasetMeta meta, String id, ArrayNode fields, ObjectNode partitioning) {
    String type = partitioning.path("type").asText("DAY");
    partitioning.put("type", type);
    if (!Set.of("DAY", "HOUR", "MONTH", "YEAR").contains(type)) {
      throw BigQueryError.invalid("Invalid time partitioning type " + type);
    }
    if (partitioning.hasNonNull("field")) {
      JsonNode field = field(fields, partitioning.get("field").asText());
      if (field == null) {
        throw BigQueryError.invalid("The field specified for time partitioning can only be of type TIMESTAMP, DATE "
            + "or DATETIME. The type found is: MISSING. Field " + partitioning.get("field").asText()
            + " not found in table " + meta.project + ":" + meta.id + "." + id);
      }
      String fieldType = field.path("type").asText();
      if (!Set.of("DATE", "TIMESTAMP", "DATETIME").contains(fieldType)) {
        throw BigQueryError.invalid("The field specified for time partitioning can only be of type TIMESTAMP, DATE "
            + "or DATETIME. The type found is: " + fieldType + ".");
      }
      if (fieldType.equals("DATE") && type.equals("HOUR")) {
        throw BigQueryError.invalid("Partitioning by HOUR is not supported on DATE column "
            + partitioning.get("field").asText());
      }
    }
  }

  static JsonNode field(JsonNode fields, String name) {
    for (JsonNode field : fields) {
      if (field.path("name").asText().equalsIgnoreCase(name)) {
        return field;
      }
    }
    return null;
  }

  private TableMeta createView(DatasetMeta meta, String id, String sql, String jobLocation) {
    checkTableId(id);
    Set<DatasetMeta> used = new LinkedHashSet<>();
    List<Token> tokens = GoogleSql.tokenize(sql);
    String duckSql = GoogleSql.toDuckDb(tokens, path -> resolveTable(path, null, used).duckName(), now);
    checkLocations(used, meta.location, jobLocation);
    String name = GoogleSql.quoteIdentifier(meta.id) + "." + GoogleSql.quoteIdentifier(id);
    execute("CREATE OR REPLACE VIEW " + name + " AS " + duckSql);
    TableMeta view = new TableMeta(meta, id, "VIEW", millis());
    view.viewQuery = sql;
    view.fields = resultSchema("SELECT * FROM " + name + " LIMIT 0");
    meta.tables.put(id, view);
    return view;
  }

  private ObjectNode patchTable(TableMeta table, JsonNode body) {
    if (body.has("expirationTime")) {
      table.expirationTime = body.get("expirationTime").isNull() ? null : body.get("expirationTime").asLong();
    }
    if (body.has("labels")) {
      table.labels.clear();
      body.get("labels").fields().forEachRemaining(e -> {
        if (!e.getValue().isNull()) {
          table.labels.put(e.getKey(), e.getValue().asText());
        }
      });
    }
    if (body.has("description")) {
      table.description = body.get("description").isNull() ? null : body.get("description").asText();
    }
    if (body.has("timePartitioning") && !samePartitioning(table.timePartitioning, body.get("timePartitioning"))) {
      throw BigQueryError.invalid("Cannot change partitioning spec of table " + table.friendly());
    }
    if (body.path("schema").path("fields").isArray() && table.type.equals("TABLE")) {
      ArrayNode fields = (ArrayNode) body.path("schema").path("fields");
      updateSchema(table, fields, true, true, "Provided Schema does not match Table " + table.friendly() + ".");
      describeFields(table, fields);
    } else if (body.path("schema").path("fields").isArray() && table.type.equals("VIEW")) {
      // A view's schema comes from its query; a patch may only describe its columns, not change them.
      ArrayNode fields = (ArrayNode) body.path("schema").path("fields");
      for (JsonNode field : fields) {
        JsonNode existing = field(table.fields, field.path("name").asText());
        if (existing == null || !existing.path("type").asText().equals(legacyType(field.path("type").asText()))
            || fields.size() != table.fields.size()) {
          throw BigQueryError.invalid("Provided Schema does not match Table " + table.friendly() + ".");
        }
      }
      describeFields(table, fields);
    }
    table.modified = millis();
    return tableJson(table);
  }

  /** Column descriptions of a patched schema: each field's description replaces the stored one (none removes it). */
  private static void describeFields(TableMeta table, JsonNode fields) {
    for (JsonNode field : fields) {
      ObjectNode stored = (ObjectNode) field(table.fields, field.path("name").asText());
      if (field.hasNonNull("description")) {
        stored.put("description", field.get("description").asText());
      } else {
        stored.remove("description");
      }
    }
  }

  /**
   * Brings the table's schema to {@code fields}: new fields are added (NULLABLE) when {@code allowAddition},
   * REQUIRED fields become NULLABLE when {@code allowRelaxation}; anything else that differs is refused.
   */
  private void updateSchema(TableMeta table, JsonNode fields, boolean allowAddition, boolean allowRelaxation,
      String prefix) {
    for (JsonNode existing : table.fields) {
      if (field(fields, existing.path("name").asText()) == null && !fields.isEmpty()) {
        if (existing.path("mode").asText().equals("REQUIRED")) {
          throw BigQueryError.invalid(prefix + " Field " + existing.path("name").asText() + " is missing in new "
              + "schema");
        }
      }
    }
    for (JsonNode field : fields) {
      String name = field.path("name").asText();
      String type = legacyType(field.path("type").asText());
      String mode = field.path("mode").asText("NULLABLE");
      JsonNode existing = field(table.fields, name);
      if (existing == null) {
        if (!allowAddition) {
          throw BigQueryError.invalid(prefix + " Cannot add fields (field: " + name + ")");
        }
        if (mode.equals("REQUIRED")) {
          throw BigQueryError.invalid(prefix + " Cannot add required fields to an existing schema. (field: " + name
              + ")");
        }
        ObjectNode added = table.fields.addObject();
        added.put("name", name);
        added.put("type", type);
        added.put("mode", mode);
        execute("ALTER TABLE " + table.duckName() + " ADD COLUMN " + GoogleSql.quoteIdentifier(name) + " "
            + duckType(added));
        continue;
      }
      if (!existing.path("type").asText().equals(type)) {
        throw BigQueryError.invalid(prefix + " Field " + name + " has changed type from "
            + existing.path("type").asText() + " to " + type);
      }
      String existingMode = existing.path("mode").asText("NULLABLE");
      if (existingMode.equals("REQUIRED") && mode.equals("NULLABLE")) {
        if (!allowRelaxation) {
          throw BigQueryError.invalid(prefix + " Field " + name + " has changed mode from REQUIRED to NULLABLE");
        }
        ((ObjectNode) existing).put("mode", "NULLABLE");
        execute("ALTER TABLE " + table.duckName() + " ALTER COLUMN " + GoogleSql.quoteIdentifier(name)
            + " DROP NOT NULL");
      } else if (existingMode.equals("NULLABLE") && mode.equals("REQUIRED")) {
        // BigQuery keeps the column NULLABLE when a load's schema says REQUIRED for an existing NULLABLE column.
        continue;
      }
    }
  }

  private static ArrayNode withTableModes(ArrayNode fileFields, ArrayNode tableFields) {
    ArrayNode fields = fileFields.deepCopy();
    for (JsonNode field : fields) {
      JsonNode existing = field(tableFields, field.path("name").asText());
      if (existing != null) {
        ((ObjectNode) field).put("mode", existing.path("mode").asText("NULLABLE"));
      }
    }
    return fields;
  }

  private void deleteTable(TableMeta table) {
    execute("DROP " + (table.type.equals("VIEW") ? "VIEW " : "TABLE ") + table.duckName());
    table.dataset.tables.remove(table.id);
  }

  private ObjectNode tableJson(TableMeta table) {
    ObjectNode json = NODES.objectNode();
    json.put("kind", "bigquery#table");
    json.put("etag", Long.toHexString(table.modified));
    json.put("id", table.friendly());
    json.put("selfLink", endpoint() + API + table.dataset.project + "/datasets/" + table.dataset.id + "/tables/"
        + table.id);
    json.set("tableReference", tableReference(table));
    json.putObject("schema").set("fields", table.fields.deepCopy());
    if (table.timePartitioning != null) {
      json.set("timePartitioning", table.timePartitioning.deepCopy());
    }
    if (!table.clustering.isEmpty()) {
      ArrayNode fields = json.putObject("clustering").putArray("fields");
      table.clustering.forEach(fields::add);
    }
    if (!table.labels.isEmpty()) {
      ObjectNode labels = json.putObject("labels");
      table.labels.forEach(labels::put);
    }
    if (table.description != null) {
      json.put("description", table.description);
    }
    if (table.expirationTime != null) {
      json.put("expirationTime", String.valueOf(table.expirationTime));
    }
    json.put("creationTime", String.valueOf(table.created));
    json.put("lastModifiedTime", String.valueOf(table.modified));
    json.put("location", table.dataset.location);
    json.put("type", table.type);
    if (table.type.equals("VIEW")) {
      ObjectNode view = json.putObject("view");
      view.put("query", table.viewQuery);
      view.put("useLegacySql", false);
    } else {
      long rows = ((Number) rows("SELECT count(*) FROM " + table.duckName()).get(0).get(0)).longValue();
      json.put("numRows", String.valueOf(rows));
      json.put("numBytes", String.valueOf(rows * 8 * Math.max(1, table.fields.size())));
      json.put("numLongTermBytes", "0");
    }
    return json;
  }

  private static ObjectNode tableReference(TableMeta table) {
    ObjectNode reference = NODES.objectNode();
    reference.put("projectId", table.dataset.project);
    reference.put("datasetId", table.dataset.id);
    reference.put("tableId", table.id);
    return reference;
  }

  private ObjectNode listTables(DatasetMeta meta) {
    ObjectNode json = NODES.objectNode();
    json.put("kind", "bigquery#tableList");
    json.put("etag", Long.toHexString(millis()));
    ArrayNode list = json.putArray("tables");
    for (TableMeta table : meta.tables.values()) {
      ObjectNode item = list.addObject();
      item.put("kind", "bigquery#table");
      item.put("id", table.friendly());
      item.set("tableReference", tableReference(table));
      item.put("type", table.type);
      if (table.timePartitioning != null) {
        item.set("timePartitioning", table.timePartitioning.deepCopy());
      }
      if (!table.clustering.isEmpty()) {
        ArrayNode fields = item.putObject("clustering").putArray("fields");
        table.clustering.forEach(fields::add);
      }
      item.put("creationTime", String.valueOf(table.created));
      if (table.expirationTime != null) {
        item.put("expirationTime", String.valueOf(table.expirationTime));
      }
    }
    json.put("totalItems", meta.tables.size());
    return json;
  }

  private ObjectNode listTableData(String project, String dataset, String tableId, Map<String, String> params) {
    QueryResult result;
    if (dataset.equals(ANONYMOUS_DATASET)) {
      Job job = jobs.get(tableId.substring("anon_".length()));
      if (job == null || job.result == null) {
        throw BigQueryError.notFound("Table " + project + ":" + dataset + "." + tableId);
      }
      result = job.result;
    } else {
      TableMeta table = table(project, dataset, tableId);
      result = select("SELECT * FROM " + table.duckName());
    }
    ObjectNode json = NODES.objectNode();
    json.put("kind", "bigquery#tableDataList");
    json.put("etag", Long.toHexString(millis()));
    json.put("totalRows", String.valueOf(result.rows.size()));
    page(json, result, params, useInt64Timestamp(params));
    return json;
  }

  /** Adds {@code rows} (and {@code pageToken} when rows remain) for startIndex/pageToken and maxResults. */
  private static void page(ObjectNode json, QueryResult result, Map<String, String> params, boolean int64Timestamp) {
    int start = params.containsKey("pageToken") ? Integer.parseInt(params.get("pageToken"))
        : Integer.parseInt(params.getOrDefault("startIndex", "0"));
    int max = params.containsKey("maxResults") ? Integer.parseInt(params.get("maxResults")) : Integer.MAX_VALUE;
    int end = (int) Math.min(result.rows.size(), (long) start + max);
    if (end > start) {
      ArrayNode rows = json.putArray("rows");
      for (List<Object> row : result.rows.subList(start, end)) {
        ObjectNode r = rows.addObject();
        ArrayNode cells = r.putArray("f");
        for (int c = 0; c < row.size(); c++) {
          ObjectNode cell = cells.addObject();
          Object value = row.get(c);
          if (value == null) {
            cell.putNull("v");
          } else {
            cell.put("v", cellText(value, result.fields.get(c).path("type").asText(), int64Timestamp));
          }
        }
      }
    }
    if (end < result.rows.size()) {
      json.put("pageToken", String.valueOf(end));
    }
  }

  private static boolean useInt64Timestamp(Map<String, String> params) {
    return "true".equals(params.get("formatOptions.useInt64Timestamp"));
  }

  private static String cellText(Object value, String type, boolean int64Timestamp) {
    if (value instanceof OffsetDateTime time) {
      Instant instant = time.toInstant();
      long micros = instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
      return int64Timestamp ? String.valueOf(micros) : new BigDecimal(micros).movePointLeft(6).toPlainString();
    }
    if (value instanceof java.sql.Timestamp timestamp && type.equals("TIMESTAMP")) {
      Instant instant = timestamp.toInstant();
      long micros = instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
      return int64Timestamp ? String.valueOf(micros) : new BigDecimal(micros).movePointLeft(6).toPlainString();
    }
    if (value instanceof LocalDateTime dateTime) {
      return dateTime.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    }
    if (value instanceof java.sql.Timestamp timestamp) {
      return timestamp.toLocalDateTime().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate().toString();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.stripTrailingZeros().toPlainString();
    }
    if (value instanceof byte[] bytes) {
      return java.util.Base64.getEncoder().encodeToString(bytes);
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d)) {
        return "NaN";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? "Infinity" : "-Infinity";
      }
      return String.valueOf(d);
    }
    return value.toString();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Types

  /** BigQuery's REST (legacy) type name for a GoogleSQL or legacy name. */
  static String legacyType(String type) {
    String upper = type.toUpperCase(Locale.ROOT);
    return switch (upper) {
      case "INT64", "INT", "SMALLINT", "BIGINT", "TINYINT", "BYTEINT" -> "INTEGER";
      case "FLOAT64" -> "FLOAT";
      case "BOOL" -> "BOOLEAN";
      case "STRUCT" -> "RECORD";
      case "DECIMAL" -> "NUMERIC";
      case "BIGDECIMAL" -> "BIGNUMERIC";
      default -> upper;
    };
  }

  private static String duckType(JsonNode field) {
    if (field.path("mode").asText().equals("REPEATED")) {
      throw BigQueryError.invalid("The loopback BigQuery does not support REPEATED fields (" + field.path("name")
          .asText() + ")");
    }
    String type = legacyType(field.path("type").asText());
    return switch (type) {
      case "STRING", "JSON" -> "VARCHAR";
      case "BYTES" -> "BLOB";
      case "INTEGER" -> "BIGINT";
      case "FLOAT" -> "DOUBLE";
      case "NUMERIC", "BIGNUMERIC" -> "DECIMAL(38, 9)";
      case "BOOLEAN" -> "BOOLEAN";
      case "TIMESTAMP" -> "TIMESTAMPTZ";
      case "DATE" -> "DATE";
      case "TIME" -> "TIME";
      case "DATETIME" -> "TIMESTAMP";
      default -> throw BigQueryError.invalid("The loopback BigQuery does not support type " + type + " (field "
          + field.path("name").asText() + ")");
    };
  }

  /** BigQuery's type for a DuckDB column type. */
  static String bigQueryType(String duckType) {
    String upper = duckType.toUpperCase(Locale.ROOT);
    if (upper.startsWith("DECIMAL")) {
      return "NUMERIC";
    }
    return switch (upper) {
      case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT" ->
          "INTEGER";
      case "DOUBLE", "FLOAT", "REAL" -> "FLOAT";
      case "BOOLEAN" -> "BOOLEAN";
      case "DATE" -> "DATE";
      case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> "TIMESTAMP";
      case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S" -> "DATETIME";
      case "TIME" -> "TIME";
      case "BLOB" -> "BYTES";
      default -> "STRING";
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Jobs

  static final class Job {
    final String project;
    final String id;
    String location;
    final ObjectNode configuration;
    BigQueryError error;
    QueryResult result;
    ObjectNode statistics = NODES.objectNode();
    final long created;

    Job(String project, String id, String location, ObjectNode configuration, long created) {
      this.project = project;
      this.id = id;
      this.location = location;
      this.configuration = configuration;
      this.created = created;
    }
  }

  /** A statement's result: the schema fields and rows of a SELECT, or the rows a DML statement changed. */
  record QueryResult(List<ObjectNode> fields, List<List<Object>> rows, String statementType, Long affectedRows,
      String ddlOperation, TableMeta ddlTarget) {
    static QueryResult of(String statementType) {
      return new QueryResult(List.of(), List.of(), statementType, null, null, null);
    }
  }

  private Job job(String project, String id) {
    Job job = jobs.get(id);
    if (job == null || !job.project.equals(project)) {
      throw BigQueryError.notFound("Job " + project + ":" + id);
    }
    return job;
  }

  private ObjectNode insertJob(String project, JsonNode body) {
    JsonNode reference = body.path("jobReference");
    String id = reference.path("jobId").asText(UUID.randomUUID().toString());
    String location = reference.hasNonNull("location") ? reference.get("location").asText() : null;
    if (jobs.containsKey(id)) {
      throw BigQueryError.duplicate("Job " + project + ":" + (location == null ? "" : location + ".") + id);
    }
    ObjectNode configuration = body.path("configuration").isObject()
        ? (ObjectNode) body.get("configuration").deepCopy() : NODES.objectNode();
    Job job = new Job(project, id, location, configuration, millis());
    if (!configuration.path("dryRun").asBoolean(false)) {
      jobs.put(id, job);
    }
    try {
      if (configuration.has("query")) {
        configuration.put("jobType", "QUERY");
        runQueryJob(job, configuration.path("query"), configuration.path("dryRun").asBoolean(false));
      } else if (configuration.has("load")) {
        configuration.put("jobType", "LOAD");
        runLoadJob(job, (ObjectNode) configuration.get("load"));
      } else {
        throw BigQueryError.invalid("The loopback BigQuery runs query and load jobs only");
      }
    } catch (BigQueryError e) {
      if (configuration.path("dryRun").asBoolean(false)) {
        throw e;
      }
      job.error = e;
    }
    return jobJson(job);
  }

  private ObjectNode jobJson(Job job) {
    ObjectNode json = NODES.objectNode();
    json.put("kind", "bigquery#job");
    json.put("etag", Long.toHexString(job.created));
    json.put("id", job.project + ":" + (job.location == null ? "" : job.location + ".") + job.id);
    json.put("selfLink", endpoint() + API + job.project + "/jobs/" + job.id);
    json.put("user_email", "loopback@" + job.project + ".iam.gserviceaccount.com");
    ObjectNode reference = json.putObject("jobReference");
    reference.put("projectId", job.project);
    reference.put("jobId", job.id);
    if (job.location != null) {
      reference.put("location", job.location);
    }
    json.set("configuration", job.configuration);
    ObjectNode status = json.putObject("status");
    status.put("state", "DONE");
    if (job.error != null) {
      status.set("errorResult", job.error.errorProto());
      status.putArray("errors").add(job.error.errorProto());
    }
    ObjectNode statistics = job.statistics.deepCopy();
    statistics.put("creationTime", String.valueOf(job.created));
    statistics.put("startTime", String.valueOf(job.created));
    statistics.put("endTime", String.valueOf(job.created));
    json.set("statistics", statistics);
    return json;
  }

  private ObjectNode query(String project, JsonNode body) {
    ObjectNode configuration = NODES.objectNode();
    ObjectNode query = configuration.putObject("query");
    for (String key : List.of("query", "useLegacySql", "defaultDataset", "queryParameters", "parameterMode",
        "labels", "maximumBytesBilled", "createSession", "connectionProperties")) {
      if (body.has(key)) {
        query.set(key, body.get(key));
      }
    }
    if (body.has("labels")) {
      configuration.set("labels", body.get("labels"));
    }
    boolean dryRun = body.path("dryRun").asBoolean(false);
    if (dryRun) {
      configuration.put("dryRun", true);
    }
    configuration.put("jobType", "QUERY");
    String id = body.hasNonNull("requestId") ? "job_" + body.get("requestId").asText().replace("-", "_")
        : "job_" + UUID.randomUUID().toString().replace("-", "_");
    String location = body.hasNonNull("location") ? body.get("location").asText() : null;
    Job job = jobs.get(id);
    if (job == null || dryRun) {
      // A repeated requestId (a client retry) answers the first run's outcome instead of running again
      // (https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query#QueryRequest, requestId).
      job = new Job(project, id, location, configuration, millis());
      try {
        runQueryJob(job, query, dryRun);
      } catch (BigQueryError e) {
        job.error = e;
      }
      if (!dryRun) {
        jobs.put(id, job);
      }
    }
    if (job.error != null) {
      throw job.error;
    }
    ObjectNode json = NODES.objectNode();
    json.put("kind", "bigquery#queryResponse");
    ObjectNode reference = json.putObject("jobReference");
    reference.put("projectId", project);
    reference.put("jobId", id);
    if (job.location != null) {
      reference.put("location", job.location);
    }
    resultJson(json, job, Map.of("maxResults", body.path("maxResults").asText(String.valueOf(Integer.MAX_VALUE))),
        body.path("formatOptions").path("useInt64Timestamp").asBoolean(false));
    return json;
  }

  private ObjectNode getQueryResults(Job job, Map<String, String> params) {
    if (job.error != null) {
      throw job.error;
    }
    if (job.result == null) {
      throw BigQueryError.invalid("Job " + job.project + ":" + job.id + " is not a query job");
    }
    ObjectNode json = NODES.objectNode();
    json.put("kind", "bigquery#getQueryResultsResponse");
    json.put("etag", Long.toHexString(job.created));
    ObjectNode reference = json.putObject("jobReference");
    reference.put("projectId", job.project);
    reference.put("jobId", job.id);
    if (job.location != null) {
      reference.put("location", job.location);
    }
    resultJson(json, job, params, useInt64Timestamp(params));
    return json;
  }

  private static void resultJson(ObjectNode json, Job job, Map<String, String> params, boolean int64Timestamp) {
    QueryResult result = job.result;
    ArrayNode fields = json.putObject("schema").putArray("fields");
    result.fields.forEach(fields::add);
    json.put("totalRows", String.valueOf(result.rows.size()));
    page(json, result, params, int64Timestamp);
    json.put("totalBytesProcessed", "0");
    json.put("jobComplete", true);
    json.put("cacheHit", false);
    if (result.affectedRows != null) {
      json.put("numDmlAffectedRows", String.valueOf(result.affectedRows));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Query jobs

  /** The state of one script run: the job's location, the datasets it used and whether a transaction is open. */
  private final class ScriptRun {
    final Job job;
    final String text;
    final String defaultDataset;
    String location;
    boolean inTransaction;
    int handledDepth;
    final List<SqlAnalyzer.Parameter> parameters = new ArrayList<>();
    final Map<String, String> namedValues = new LinkedHashMap<>();
    final List<String> positionalValues = new ArrayList<>();
    QueryResult last;
    String caughtMessage;

    ScriptRun(Job job, String text, String defaultDataset) {
      this.job = job;
      this.text = text;
      this.defaultDataset = defaultDataset;
      this.location = job.location;
    }
  }

  private void runQueryJob(Job job, JsonNode query, boolean dryRun) {
    String sql = query.path("query").asText();
    statements.add(sql);
    if (query.has("destinationTable")) {
      throw BigQueryError.invalid("The loopback BigQuery does not write query results to a destinationTable");
    }
    if (query.path("useLegacySql").asBoolean(false)) {
      throw BigQueryError.invalid("The loopback BigQuery runs GoogleSQL only (useLegacySql is true)");
    }
    String defaultDataset = query.path("defaultDataset").path("datasetId").asText(null);
    analyzer.parseScript(sql);
    List<Node> nodes = GoogleSql.parseScript(sql);
    boolean script = nodes.size() != 1 || !(nodes.get(0) instanceof Statement);
    ScriptRun run = new ScriptRun(job, sql, defaultDataset);
    readParameters(query, run);
    ObjectNode queryStatistics = job.statistics.putObject("query");
    job.statistics.put("totalBytesProcessed", "0");
    queryStatistics.put("totalBytesProcessed", "0");
    queryStatistics.put("totalBytesBilled", "0");
    queryStatistics.put("cacheHit", false);
    if (dryRun) {
      if (script) {
        throw BigQueryError.invalidQuery("The loopback BigQuery dry-runs single statements only");
      }
      Statement statement = (Statement) nodes.get(0);
      analyze(statement.text(), defaultDataset, run.parameters);
      QueryResult planned = plan(run, withParameters(run, statement));
      queryStatistics.put("statementType", planned.statementType);
      if (!planned.fields.isEmpty()) {
        ArrayNode fields = queryStatistics.putObject("schema").putArray("fields");
        planned.fields.forEach(fields::add);
      }
      job.location = run.location;
      job.result = planned;
      return;
    }
    try {
      try {
        runNodes(run, nodes);
      } catch (BigQueryError e) {
        rollback(run);
        throw e;
      }
      // A script that ends before COMMIT or ROLLBACK has its transaction rolled back (not an error).
      rollback(run);
    } finally {
      job.location = run.location;
    }
    QueryResult result = run.last == null ? QueryResult.of("SCRIPT") : run.last;
    if (script) {
      queryStatistics.put("statementType", "SCRIPT");
      result = new QueryResult(result.fields, result.rows, "SCRIPT", null, null, null);
    } else {
      queryStatistics.put("statementType", result.statementType);
      if (result.affectedRows != null) {
        queryStatistics.put("numDmlAffectedRows", String.valueOf(result.affectedRows));
      }
      if (result.ddlOperation != null) {
        queryStatistics.put("ddlOperationPerformed", result.ddlOperation);
        if (result.ddlTarget != null) {
          queryStatistics.set("ddlTargetTable", tableReference(result.ddlTarget));
        }
      }
    }
    if (result.statementType.equals("SELECT") || script) {
      ObjectNode destination = ((ObjectNode) job.configuration.path("query")).putObject("destinationTable");
      destination.put("projectId", job.project);
      destination.put("datasetId", ANONYMOUS_DATASET);
      destination.put("tableId", "anon_" + job.id);
      ArrayNode fields = queryStatistics.putObject("schema").putArray("fields");
      result.fields.forEach(fields::add);
    }
    job.result = result;
  }

  private void runNodes(ScriptRun run, List<Node> nodes) {
    for (Node node : nodes) {
      if (node instanceof Statement statement) {
        runStatement(run, statement);
      } else {
        Block block = (Block) node;
        try {
          run.handledDepth += block.handler() == null ? 0 : 1;
          try {
            runNodes(run, block.body());
          } finally {
            run.handledDepth -= block.handler() == null ? 0 : 1;
          }
        } catch (BigQueryError e) {
          if (block.handler() == null) {
            throw e;
          }
          run.caughtMessage = e.getMessage();
          runNodes(run, block.handler());
        }
      }
    }
  }

  private void runStatement(ScriptRun run, Statement statement) {
    if (statement.startsWith("BEGIN")) {
      if (run.inTransaction) {
        throw BigQueryError.invalidQuery("Transaction is already in progress; nested transactions are not "
            + "supported");
      }
      execute("BEGIN TRANSACTION");
      run.inTransaction = true;
      return;
    }
    if (statement.startsWith("COMMIT")) {
      if (!run.inTransaction) {
        throw BigQueryError.invalidQuery("COMMIT TRANSACTION without an active transaction");
      }
      try {
        faults.checkCommit(run.text);
        execute("COMMIT");
      } catch (BigQueryError e) {
        rollback(run);
        throw e;
      }
      run.inTransaction = false;
      return;
    }
    if (statement.startsWith("ROLLBACK")) {
      if (!run.inTransaction) {
        throw BigQueryError.invalidQuery("ROLLBACK TRANSACTION without an active transaction");
      }
      rollback(run);
      return;
    }
    if (statement.startsWith("RAISE")) {
      String text = statement.text();
      String message = text.contains("@@error.message") && run.caughtMessage != null ? run.caughtMessage
          : statement.words().stream().filter(t -> t.kind() == GoogleSql.Kind.STRING).map(Token::value)
              .findFirst().orElse("RAISE");
      throw BigQueryError.invalidQuery(message);
    }
    try {
      analyze(statement.text(), run.defaultDataset, run.parameters);
      QueryResult result = execute(run, withParameters(run, statement));
      run.last = result;
    } catch (BigQueryError e) {
      // Inside BEGIN ... EXCEPTION the transaction stays open for the handler's ROLLBACK TRANSACTION; elsewhere the
      // script ends here and the transaction is rolled back.
      if (run.handledDepth == 0) {
        rollback(run);
      }
      throw e;
    }
  }

  private void rollback(ScriptRun run) {
    if (run.inTransaction) {
      execute("ROLLBACK");
      run.inTransaction = false;
    }
  }

  private void analyze(String sql, String defaultDataset, List<SqlAnalyzer.Parameter> parameters) {
    try {
      analyzer.analyze(sql, catalogTables(), projectId, defaultDataset, parameters);
    } catch (BigQueryError e) {
      if (e.status == 404) {
        // BigQuery names the missing table as project:dataset.table with the location it looked in.
        List<TablePath> paths = GoogleSql.tablePaths(GoogleSql.tokenize(sql));
        boolean create = sql.strip().toUpperCase(Locale.ROOT).startsWith("CREATE");
        for (TablePath path : create && !paths.isEmpty() ? paths.subList(1, paths.size()) : paths) {
          resolveTable(path, defaultDataset, new LinkedHashSet<>());
        }
      }
      throw e;
    }
  }

  /**
   * The job's query parameters (https://cloud.google.com/bigquery/docs/parameterized-queries): named ({@code @name})
   * or positional ({@code ?}), scalar types only.
   */
  private static void readParameters(JsonNode query, ScriptRun run) {
    boolean positional = "POSITIONAL".equals(query.path("parameterMode").asText());
    for (JsonNode parameter : query.path("queryParameters")) {
      String type = parameter.path("parameterType").path("type").asText();
      if (type.equals("ARRAY") || type.equals("STRUCT")) {
        throw BigQueryError.invalid("The loopback BigQuery supports scalar query parameters only");
      }
      JsonNode value = parameter.path("parameterValue").path("value");
      String literal = value.isMissingNode() || value.isNull() ? "NULL" : parameterLiteral(type, value.asText());
      String name = positional || !parameter.hasNonNull("name") ? null : parameter.get("name").asText();
      run.parameters.add(new SqlAnalyzer.Parameter(name, type));
      if (name == null) {
        run.positionalValues.add(literal);
      } else {
        run.namedValues.put(name.toLowerCase(Locale.ROOT), literal);
      }
    }
  }

  private static String parameterLiteral(String type, String value) {
    return switch (legacyType(type)) {
      case "INTEGER" -> String.valueOf(Long.parseLong(value));
      case "FLOAT" -> "CAST(" + GoogleSql.stringLiteral(value) + " AS DOUBLE)";
      case "BOOLEAN" -> String.valueOf(Boolean.parseBoolean(value));
      case "DATE" -> "DATE " + GoogleSql.stringLiteral(value);
      case "TIMESTAMP" -> "TIMESTAMPTZ " + GoogleSql.stringLiteral(value);
      case "DATETIME" -> "TIMESTAMP " + GoogleSql.stringLiteral(value);
      case "NUMERIC", "BIGNUMERIC" -> "CAST(" + GoogleSql.stringLiteral(value) + " AS DECIMAL(38, 9))";
      default -> GoogleSql.stringLiteral(value);
    };
  }

  /** The statement with its {@code @name} and {@code ?} parameters replaced by DuckDB literals. */
  private static Statement withParameters(ScriptRun run, Statement statement) {
    if (run.parameters.isEmpty()) {
      return statement;
    }
    List<Token> tokens = new ArrayList<>();
    int position = 0;
    for (Token token : statement.tokens()) {
      if (token.kind() == GoogleSql.Kind.WORD && token.text().startsWith("@") && !token.text().startsWith("@@")) {
        String literal = run.namedValues.get(token.text().substring(1).toLowerCase(Locale.ROOT));
        if (literal == null) {
          throw BigQueryError.invalidQuery("Query parameter '" + token.text().substring(1) + "' not found");
        }
        tokens.add(new Token(GoogleSql.Kind.SYMBOL, "(" + literal + ")", literal));
      } else if (token.isSymbol("?")) {
        if (position >= run.positionalValues.size()) {
          throw BigQueryError.invalidQuery("Query has more positional parameters than were given");
        }
        String literal = run.positionalValues.get(position++);
        tokens.add(new Token(GoogleSql.Kind.SYMBOL, "(" + literal + ")", literal));
      } else {
        tokens.add(token);
      }
    }
    return new Statement(tokens);
  }

  /** The schemas of every table and view, for the analyzer's catalog. */
  private List<SqlAnalyzer.CatalogTable> catalogTables() {
    List<SqlAnalyzer.CatalogTable> tables = new ArrayList<>();
    for (DatasetMeta meta : datasets.values()) {
      for (TableMeta table : meta.tables.values()) {
        tables.add(new SqlAnalyzer.CatalogTable(meta.project, meta.id, table.id, table.fields));
      }
    }
    return tables;
  }

  /** What a dry run answers: the statement's type and, for a SELECT, its schema, without running it. */
  private QueryResult plan(ScriptRun run, Statement statement) {
    String kind = statementKind(statement);
    if (kind.equals("SELECT")) {
      Set<DatasetMeta> used = new LinkedHashSet<>();
      String duckSql = GoogleSql.toDuckDb(statement.tokens(), p -> resolveTable(p, run.defaultDataset, used)
          .duckName(), now);
      run.location = checkLocations(used, null, run.location);
      return new QueryResult(fieldsOf(resultSchema("SELECT * FROM (" + duckSql + ") LIMIT 0")), List.of(),
          "SELECT", null, null, null);
    }
    for (TablePath path : GoogleSql.tablePaths(statement.tokens())) {
      if (!kind.startsWith("CREATE") && !kind.startsWith("DROP")) {
        resolveTable(path, run.defaultDataset, new LinkedHashSet<>());
      }
    }
    return QueryResult.of(kind);
  }

  private static List<ObjectNode> fieldsOf(ArrayNode fields) {
    List<ObjectNode> list = new ArrayList<>();
    fields.forEach(f -> list.add((ObjectNode) f));
    return list;
  }

  private static String statementKind(Statement statement) {
    List<Token> words = statement.words();
    String first = words.isEmpty() ? "" : words.get(0).text().toUpperCase(Locale.ROOT);
    return switch (first) {
      case "SELECT", "WITH", "(" -> "SELECT";
      case "INSERT", "DELETE", "UPDATE", "MERGE" -> first;
      case "TRUNCATE" -> "TRUNCATE_TABLE";
      case "CREATE", "DROP", "ALTER" -> {
        String object = "";
        for (Token t : words.subList(1, words.size())) {
          String w = t.text().toUpperCase(Locale.ROOT);
          if (Set.of("TABLE", "VIEW", "SCHEMA").contains(w)) {
            object = w;
            break;
          }
        }
        boolean replace = words.size() > 2 && words.get(1).is("OR") && words.get(2).is("REPLACE");
        yield (object.equals("SCHEMA") ? first + "_SCHEMA" : replace ? "CREATE_OR_REPLACE_" + object
            : first + "_" + object);
      }
      default -> throw BigQueryError.invalidQuery("Syntax error: Unexpected keyword " + first + " (the loopback "
          + "BigQuery runs SELECT, INSERT, DELETE, UPDATE, MERGE, TRUNCATE, CREATE, DROP and transactions)");
    };
  }

  private QueryResult execute(ScriptRun run, Statement statement) {
    String kind = statementKind(statement);
    if (run.inTransaction && (kind.startsWith("CREATE") || kind.startsWith("DROP") || kind.startsWith("ALTER"))) {
      throw BigQueryError.invalidQuery(kind.replace('_', ' ') + " is not supported inside a transaction: DDL "
          + "statements on permanent entities (tables, views, datasets) are not allowed in a multi-statement "
          + "transaction");
    }
    return switch (kind) {
      case "SELECT" -> {
        Set<DatasetMeta> used = new LinkedHashSet<>();
        String duckSql = GoogleSql.toDuckDb(statement.tokens(), p -> resolveTable(p, run.defaultDataset, used)
            .duckName(), now);
        run.location = checkLocations(used, null, run.location);
        yield select(duckSql);
      }
      case "INSERT", "DELETE", "UPDATE", "MERGE", "TRUNCATE_TABLE" -> {
        if ((kind.equals("DELETE") || kind.equals("UPDATE"))
            && statement.words().stream().noneMatch(t -> t.is("WHERE"))) {
          throw BigQueryError.invalidQuery(kind + " must have a WHERE clause");
        }
        Set<DatasetMeta> used = new LinkedHashSet<>();
        List<TableMeta> targets = new ArrayList<>();
        String duckSql = GoogleSql.toDuckDb(statement.tokens(), p -> {
          TableMeta table = resolveTable(p, run.defaultDataset, used);
          targets.add(table);
          return table.duckName();
        }, now);
        run.location = checkLocations(used, null, run.location);
        if (!targets.isEmpty() && targets.get(0).type.equals("VIEW")) {
          throw BigQueryError.invalidQuery("Cannot modify view " + targets.get(0).friendly() + " with DML");
        }
        long affected = update(duckSql);
        if (!targets.isEmpty()) {
          targets.get(0).modified = millis();
        }
        yield new QueryResult(List.of(), List.of(), kind, affected, null, null);
      }
      case "CREATE_SCHEMA" -> createSchema(run, statement);
      case "DROP_SCHEMA" -> dropSchema(statement);
      case "CREATE_TABLE", "CREATE_OR_REPLACE_TABLE" -> createTableStatement(run, statement, kind);
      case "CREATE_VIEW", "CREATE_OR_REPLACE_VIEW" -> createViewStatement(run, statement, kind);
      case "DROP_TABLE", "DROP_VIEW" -> dropTableStatement(run, statement, kind);
      case "ALTER_TABLE" -> alterTableStatement(run, statement);
      default -> throw BigQueryError.invalidQuery("The loopback BigQuery does not run " + kind.replace('_', ' '));
    };
  }

  /** Resolves a table path; a missing dataset or table is BigQuery's 404. */
  private TableMeta resolveTable(TablePath path, String defaultDataset, Set<DatasetMeta> used) {
    List<String> parts = path.parts();
    String project;
    String dataset;
    String table;
    if (parts.size() == 3) {
      project = parts.get(0);
      dataset = parts.get(1);
      table = parts.get(2);
    } else if (parts.size() == 2) {
      project = projectId;
      dataset = parts.get(0);
      table = parts.get(1);
    } else {
      throw BigQueryError.invalidQuery("Table \"" + path + "\" must be qualified with a dataset (e.g. "
          + "dataset.table).");
    }
    if (defaultDataset != null && parts.size() == 1) {
      dataset = defaultDataset;
    }
    DatasetMeta meta = project.equals(projectId) ? datasets.get(dataset) : null;
    if (meta == null) {
      throw BigQueryError.notFound("Dataset " + project + ":" + dataset + " was not found");
    }
    TableMeta found = meta.tables.get(table);
    if (found == null) {
      throw BigQueryError.notFound("Table " + project + ":" + dataset + "." + table + " was not found in location "
          + meta.location);
    }
    used.add(meta);
    return found;
  }

  /**
   * A job runs in one location: every dataset it reads or writes must be there, and a job given a location finds
   * no dataset elsewhere (404, as BigQuery answers). Answers the job's location.
   */
  private static String checkLocations(Set<DatasetMeta> used, String datasetLocation, String jobLocation) {
    String location = jobLocation;
    if (datasetLocation != null) {
      if (location != null && !location.equalsIgnoreCase(datasetLocation)) {
        throw BigQueryError.notFound("Dataset location " + datasetLocation + " does not match the job's location "
            + location);
      }
      location = datasetLocation;
    }
    for (DatasetMeta meta : used) {
      if (location == null) {
        location = meta.location;
      } else if (!location.equalsIgnoreCase(meta.location)) {
        throw BigQueryError.notFound("Dataset " + meta.project + ":" + meta.id + " was not found in location "
            + location);
      }
    }
    return location;
  }

  private QueryResult createSchema(ScriptRun run, Statement statement) {
    List<Token> words = statement.words();
    boolean ifNotExists = statement.text().toUpperCase(Locale.ROOT).contains("IF NOT EXISTS");
    List<TablePath> paths = GoogleSql.tablePaths(statement.tokens());
    List<String> name = paths.isEmpty() ? List.of(lastName(words, "SCHEMA")) : paths.get(0).parts();
    String project = name.size() == 2 ? name.get(0) : projectId;
    String id = name.get(name.size() - 1);
    Map<String, JsonNode> options = options(statement);
    String location = options.containsKey("location") ? options.get("location").asText()
        : run.location != null ? run.location : "US";
    if (run.location != null && !run.location.equalsIgnoreCase(location)) {
      throw BigQueryError.invalidQuery("Location " + location + " of dataset " + project + ":" + id
          + " does not match the job's location " + run.location);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (options.containsKey("labels")) {
      options.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    }
    boolean existed = datasets.containsKey(id);
    DatasetMeta meta = createDataset(project, id, location, labels, ifNotExists);
    if (!existed) {
      if (options.containsKey("default_table_expiration_days")) {
        meta.defaultTableExpirationMs = (long) (options.get("default_table_expiration_days").asDouble() * 86_400_000L);
      }
      if (options.containsKey("description")) {
        meta.description = options.get("description").asText();
      }
    }
    run.location = location;
    return new QueryResult(List.of(), List.of(), "CREATE_SCHEMA", null, existed ? "SKIP" : "CREATE", null);
  }

  private static String lastName(List<Token> words, String after) {
    for (int i = 0; i < words.size() - 1; i++) {
      if (words.get(i).is(after)) {
        int j = i + 1;
        while (j < words.size() && (words.get(j).is("IF") || words.get(j).is("NOT") || words.get(j).is("EXISTS"))) {
          j++;
        }
        return words.get(j).value();
      }
    }
    throw BigQueryError.invalidQuery("Syntax error: expected a name after " + after);
  }

  private QueryResult dropSchema(Statement statement) {
    boolean ifExists = statement.text().toUpperCase(Locale.ROOT).contains("IF EXISTS");
    boolean cascade = statement.text().toUpperCase(Locale.ROOT).contains("CASCADE");
    List<TablePath> paths = GoogleSql.tablePaths(statement.tokens());
    List<String> name = paths.isEmpty() ? List.of(lastName(statement.words(), "SCHEMA")) : paths.get(0).parts();
    String id = name.get(name.size() - 1);
    if (!datasets.containsKey(id)) {
      if (ifExists) {
        return new QueryResult(List.of(), List.of(), "DROP_SCHEMA", null, "SKIP", null);
      }
      throw BigQueryError.notFound("Dataset " + projectId + ":" + id);
    }
    if (!datasets.get(id).tables.isEmpty() && !cascade) {
      throw BigQueryError.invalidQuery("Cannot drop non-empty dataset " + projectId + ":" + id
          + "; use DROP SCHEMA ... CASCADE");
    }
    deleteDataset(projectId, id, true);
    return new QueryResult(List.of(), List.of(), "DROP_SCHEMA", null, "DROP", null);
  }

  /** The target of CREATE/DROP TABLE/VIEW: its dataset (which must exist) and table id. */
  private record Target(DatasetMeta dataset, String table) {}

  private Target target(ScriptRun run, Statement statement) {
    List<TablePath> paths = GoogleSql.tablePaths(statement.tokens());
    if (paths.isEmpty()) {
      throw BigQueryError.invalidQuery("Table name must be qualified with a dataset (e.g. dataset.table)");
    }
    List<String> parts = paths.get(0).parts();
    String project = parts.size() == 3 ? parts.get(0) : projectId;
    String dataset = parts.get(parts.size() - 2);
    DatasetMeta meta = project.equals(projectId) ? datasets.get(dataset) : null;
    if (meta == null) {
      throw BigQueryError.notFound("Dataset " + project + ":" + dataset + " was not found");
    }
    run.location = checkLocations(Set.of(meta), null, run.location);
    return new Target(meta, parts.get(parts.size() - 1));
  }

  private QueryResult dropTableStatement(ScriptRun run, Statement statement, String kind) {
    boolean ifExists = statement.text().toUpperCase(Locale.ROOT).contains("IF EXISTS");
    Target target = target(run, statement);
    TableMeta table = target.dataset.tables.get(target.table);
    if (table == null) {
      if (ifExists) {
        return new QueryResult(List.of(), List.of(), kind, null, "SKIP", null);
      }
      throw BigQueryError.notFound("Table " + target.dataset.project + ":" + target.dataset.id + "." + target.table);
    }
    if (kind.equals("DROP_VIEW") != table.type.equals("VIEW")) {
      throw BigQueryError.invalidQuery(table.friendly() + " is a " + table.type + "; use DROP "
          + (table.type.equals("VIEW") ? "VIEW" : "TABLE"));
    }
    deleteTable(table);
    return new QueryResult(List.of(), List.of(), kind, null, "DROP", table);
  }

  /**
   * ALTER TABLE name ADD COLUMN [IF NOT EXISTS] column type [, ...] | ALTER COLUMN column DROP NOT NULL |
   * SET OPTIONS (...). Added columns are NULLABLE: BigQuery refuses NOT NULL ones
   * (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-definition-language#alter_table_add_column_statement).
   */
  private QueryResult alterTableStatement(ScriptRun run, Statement statement) {
    Target target = target(run, statement);
    TableMeta table = target.dataset.tables.get(target.table);
    boolean ifExists = statement.startsWith("ALTER", "TABLE", "IF", "EXISTS");
    if (table == null) {
      if (ifExists) {
        return new QueryResult(List.of(), List.of(), "ALTER_TABLE", null, "SKIP", null);
      }
      throw BigQueryError.notFound("Table " + target.dataset.project + ":" + target.dataset.id + "." + target.table);
    }
    List<Token> words = statement.words();
    int i = 1;
    while (i < words.size() && !words.get(i).is("ADD") && !words.get(i).is("ALTER") && !words.get(i).is("SET")) {
      i++;
    }
    List<List<Token>> actions = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    int depth = 0;
    for (; i < words.size(); i++) {
      Token t = words.get(i);
      if (t.isSymbol("(") || t.isSymbol("<")) {
        depth++;
      } else if (t.isSymbol(")") || t.isSymbol(">")) {
        depth--;
      } else if (t.isSymbol(",") && depth == 0) {
        actions.add(current);
        current = new ArrayList<>();
        continue;
      }
      current.add(t);
    }
    if (!current.isEmpty()) {
      actions.add(current);
    }
    for (List<Token> action : actions) {
      if (action.size() >= 4 && action.get(0).is("ADD") && action.get(1).is("COLUMN")) {
        boolean ifNotExists = action.get(2).is("IF");
        int n = ifNotExists ? 5 : 2;
        String name = action.get(n).value();
        String type = legacyType(action.get(n + 1).text());
        String rest = joinWords(action.subList(n + 2, action.size())).toUpperCase(Locale.ROOT);
        if (rest.contains("NOT NULL")) {
          throw BigQueryError.invalidQuery("Column " + name + " cannot be added as NOT NULL: new columns of an "
              + "existing table must be NULLABLE");
        }
        if (field(table.fields, name) != null) {
          if (ifNotExists) {
            continue;
          }
          throw BigQueryError.invalidQuery("Column already exists: " + name);
        }
        ArrayNode added = NODES.arrayNode();
        added.addObject().put("name", name).put("type", type).put("mode", "NULLABLE");
        ArrayNode all = table.fields.deepCopy();
        all.addAll(added);
        updateSchema(table, all, true, false, "ALTER TABLE " + table.friendly() + ":");
      } else if (action.size() >= 5 && action.get(0).is("ALTER") && action.get(1).is("COLUMN")
          && action.get(3).is("DROP") && action.get(4).is("NOT")) {
        ArrayNode relaxed = table.fields.deepCopy();
        JsonNode field = field(relaxed, action.get(2).value());
        if (field == null) {
          throw BigQueryError.invalidQuery("Column not found: " + action.get(2).value());
        }
        ((ObjectNode) field).put("mode", "NULLABLE");
        updateSchema(table, relaxed, false, true, "ALTER TABLE " + table.friendly() + ":");
      } else if (!action.isEmpty() && action.get(0).is("SET")) {
        Map<String, JsonNode> options = options(new Statement(action));
        if (options.containsKey("expiration_timestamp")) {
          JsonNode expiration = options.get("expiration_timestamp");
          table.expirationTime = expiration.isNull() ? null : expiration.asLong();
        }
        if (options.containsKey("description")) {
          table.description = options.get("description").asText();
        }
        if (options.containsKey("labels")) {
          table.labels.clear();
          options.get("labels").fields().forEachRemaining(e -> table.labels.put(e.getKey(), e.getValue().asText()));
        }
      } else {
        throw BigQueryError.invalidQuery("The loopback BigQuery does not run ALTER TABLE " + joinWords(action));
      }
    }
    table.modified = millis();
    return new QueryResult(List.of(), List.of(), "ALTER_TABLE", null, "ALTER", table);
  }

  private QueryResult createViewStatement(ScriptRun run, Statement statement, String kind) {
    Target target = target(run, statement);
    boolean ifNotExists = statement.text().toUpperCase(Locale.ROOT).contains("IF NOT EXISTS");
    TableMeta existing = target.dataset.tables.get(target.table);
    if (existing != null) {
      if (ifNotExists) {
        return new QueryResult(List.of(), List.of(), kind, null, "SKIP", existing);
      }
      if (!kind.equals("CREATE_OR_REPLACE_VIEW")) {
        throw BigQueryError.duplicate("Table " + existing.friendly());
      }
      if (!existing.type.equals("VIEW")) {
        throw BigQueryError.invalidQuery("Cannot replace table " + existing.friendly() + " with a view");
      }
    }
    List<Token> tokens = statement.tokens();
    int as = bodyStart(tokens);
    String body = joinText(tokens.subList(as, tokens.size())).strip();
    Map<String, JsonNode> options = options(statement);
    TableMeta view = createView(target.dataset, target.table, body, run.location);
    if (options.containsKey("description")) {
      view.description = options.get("description").asText();
    }
    if (options.containsKey("expiration_timestamp")) {
      view.expirationTime = options.get("expiration_timestamp").asLong();
    }
    return new QueryResult(List.of(), List.of(), kind, null, existing == null ? "CREATE" : "REPLACE", view);
  }

  /** The index just after the top-level AS that starts a CREATE statement's query; -1 when there is none. */
  private static int bodyStartOrNone(List<Token> tokens) {
    int depth = 0;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        depth--;
      } else if (depth == 0 && t.is("AS")) {
        return i + 1;
      }
    }
    return -1;
  }

  private static int bodyStart(List<Token> tokens) {
    int start = bodyStartOrNone(tokens);
    if (start < 0) {
      throw BigQueryError.invalidQuery("Syntax error: Expected keyword AS");
    }
    return start;
  }

  private static String joinText(List<Token> tokens) {
    StringBuilder text = new StringBuilder();
    tokens.forEach(t -> text.append(t.text()));
    return text.toString();
  }

  /**
   * CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name [(columns)] [PARTITION BY ...] [CLUSTER BY ...] [OPTIONS(...)]
   * [AS query].
   */
  private QueryResult createTableStatement(ScriptRun run, Statement statement, String kind) {
    if (statement.startsWith("CREATE", "TEMP") || statement.startsWith("CREATE", "TEMPORARY")) {
      throw BigQueryError.invalidQuery("The loopback BigQuery does not support temporary tables");
    }
    Target target = target(run, statement);
    boolean ifNotExists = statement.text().toUpperCase(Locale.ROOT).contains("IF NOT EXISTS");
    List<Token> tokens = statement.words();
    int as = bodyStartOrNone(tokens);
    List<Token> head = as < 0 ? tokens : tokens.subList(0, as - 1);
    // Column definitions: the first parenthesised list after the name.
    ArrayNode fields = NODES.arrayNode();
    int nameEnd = -1;
    for (int i = 0; i < head.size(); i++) {
      if (head.get(i).kind() == GoogleSql.Kind.QUOTED || (i > 0 && head.get(i - 1).is("TABLE"))
          || (i > 2 && head.get(i - 1).is("EXISTS"))) {
        nameEnd = i;
        while (nameEnd + 2 < head.size() && head.get(nameEnd + 1).isSymbol(".")) {
          nameEnd += 2;
        }
        break;
      }
    }
    int i = nameEnd + 1;
    if (i < head.size() && head.get(i).isSymbol("(")) {
      int depth = 0;
      List<List<Token>> columns = new ArrayList<>();
      List<Token> current = new ArrayList<>();
      for (i = i + 1; i < head.size(); i++) {
        Token t = head.get(i);
        if (t.isSymbol("(") || t.isSymbol("<")) {
          depth++;
        } else if ((t.isSymbol(")") || t.isSymbol(">")) && depth > 0) {
          depth--;
        } else if (t.isSymbol(")")) {
          break;
        } else if (t.isSymbol(",") && depth == 0) {
          columns.add(current);
          current = new ArrayList<>();
          continue;
        }
        current.add(t);
      }
      columns.add(current);
      i++;
      for (List<Token> column : columns) {
        if (column.size() < 2) {
          throw BigQueryError.invalidQuery("Syntax error: column definition needs a name and a type");
        }
        ObjectNode field = fields.addObject();
        field.put("name", column.get(0).value());
        String type = column.get(1).text().toUpperCase(Locale.ROOT);
        if (type.equals("ARRAY") || type.equals("STRUCT")) {
          throw BigQueryError.invalidQuery("The loopback BigQuery does not support " + type + " columns");
        }
        field.put("type", legacyType(type));
        String rest = joinWords(column.subList(2, column.size())).toUpperCase(Locale.ROOT);
        field.put("mode", rest.contains("NOT NULL") ? "REQUIRED" : "NULLABLE");
      }
    }
    ObjectNode partitioning = null;
    List<String> clustering = new ArrayList<>();
    for (; i < head.size(); i++) {
      Token t = head.get(i);
      if (t.is("PARTITION") && i + 1 < head.size() && head.get(i + 1).is("BY")) {
        int end = i + 2;
        while (end < head.size() && !head.get(end).is("CLUSTER") && !head.get(end).is("OPTIONS")) {
          end++;
        }
        partitioning = partitionSpec(head.subList(i + 2, end));
        i = end - 1;
      } else if (t.is("CLUSTER") && i + 1 < head.size() && head.get(i + 1).is("BY")) {
        int j = i + 2;
        while (j < head.size() && !head.get(j).is("OPTIONS") && !head.get(j).is("PARTITION")) {
          if (!head.get(j).isSymbol(",")) {
            clustering.add(head.get(j).value());
          }
          j++;
        }
        i = j - 1;
      }
    }
    Map<String, JsonNode> options = options(statement);
    QueryResult source = null;
    if (as >= 0) {
      Set<DatasetMeta> used = new LinkedHashSet<>();
      List<Token> all = statement.tokens();
      String duckSql = GoogleSql.toDuckDb(all.subList(bodyStart(all), all.size()), p -> resolveTable(p,
          run.defaultDataset, used).duckName(), now);
      run.location = checkLocations(used, null, run.location);
      source = select(duckSql);
      if (fields.isEmpty()) {
        source.fields.forEach(f -> fields.add(f.deepCopy()));
      }
    }
    TableMeta existing = target.dataset.tables.get(target.table);
    if (existing != null) {
      if (ifNotExists) {
        return new QueryResult(List.of(), List.of(), kind, null, "SKIP", existing);
      }
      if (!kind.equals("CREATE_OR_REPLACE_TABLE")) {
        throw BigQueryError.duplicate("Table " + existing.friendly());
      }
      if (!specText(existing.timePartitioning, existing.clustering).equals(specText(partitioning, clustering))) {
        throw BigQueryError.invalidQuery("Cannot replace a table with a different partitioning spec. Instead, DROP "
            + "the table, and then recreate it. New partitioning spec is " + specText(partitioning, clustering)
            + " and existing spec is " + specText(existing.timePartitioning, existing.clustering) + ".");
      }
      deleteTable(existing);
    }
    TableMeta table = createTable(target.dataset, target.table, fields, partitioning, clustering);
    if (options.containsKey("expiration_timestamp")) {
      table.expirationTime = options.get("expiration_timestamp").asLong();
    }
    if (options.containsKey("description")) {
      table.description = options.get("description").asText();
    }
    if (options.containsKey("labels")) {
      options.get("labels").fields().forEachRemaining(e -> table.labels.put(e.getKey(), e.getValue().asText()));
    }
    if (source != null) {
      insertRows(table, source);
    }
    return new QueryResult(List.of(), List.of(), kind, null, existing == null ? "CREATE" : "REPLACE", table);
  }

  private static String joinWords(List<Token> tokens) {
    return tokens.stream().map(Token::text).collect(Collectors.joining(" "));
  }

  private void insertRows(TableMeta table, QueryResult source) {
    String columns = table.fields.findValuesAsText("name").stream().map(GoogleSql::quoteIdentifier)
        .collect(Collectors.joining(", "));
    String placeholders = table.fields.findValuesAsText("name").stream().map(n -> "?")
        .collect(Collectors.joining(", "));
    try (var insert = duck.prepareStatement("INSERT INTO " + table.duckName() + " (" + columns + ") VALUES ("
        + placeholders + ")")) {
      for (List<Object> row : source.rows) {
        for (int c = 0; c < row.size(); c++) {
          insert.setObject(c + 1, row.get(c));
        }
        insert.addBatch();
      }
      insert.executeBatch();
    } catch (SQLException e) {
      throw BigQueryError.invalidQuery(e.getMessage());
    }
  }

  /** PARTITION BY column | DATE(column) | DATE_TRUNC(column, MONTH|YEAR) | TIMESTAMP_TRUNC(column, unit). */
  private static ObjectNode partitionSpec(List<Token> expression) {
    ObjectNode spec = NODES.objectNode();
    List<Token> words = expression.stream().filter(t -> t.kind() != GoogleSql.Kind.SYMBOL).toList();
    if (words.size() == 1) {
      if (words.get(0).text().startsWith("_PARTITION")) {
        spec.put("type", "DAY");
        return spec;
      }
      spec.put("type", "DAY");
      spec.put("field", words.get(0).value());
      return spec;
    }
    String function = words.get(0).text().toUpperCase(Locale.ROOT);
    if (function.equals("DATE") && words.size() == 2) {
      spec.put("type", "DAY");
      spec.put("field", words.get(1).value());
      return spec;
    }
    if (Set.of("DATE_TRUNC", "TIMESTAMP_TRUNC", "DATETIME_TRUNC").contains(function) && words.size() == 3) {
      spec.put("type", words.get(2).text().toUpperCase(Locale.ROOT));
      spec.put("field", words.get(1).value());
      return spec;
    }
    throw BigQueryError.invalidQuery("The loopback BigQuery does not support PARTITION BY " + joinWords(expression));
  }

  static boolean samePartitioning(JsonNode a, JsonNode b) {
    return partitionSpecText(a).equals(partitionSpecText(b));
  }

  /** The partitioning and clustering spec as BigQuery's errors write it: {@code interval(...) clustering(a,b)}. */
  static String specText(JsonNode partitioning, List<String> clustering) {
    return partitionSpecText(partitioning) + (clustering.isEmpty() ? "" : " clustering(" + String.join(",",
        clustering) + ")");
  }

  /** BigQuery's wording of a partitioning spec in its error messages. */
  static String partitionSpecText(JsonNode spec) {
    if (spec == null || spec.isNull() || spec.isMissingNode()) {
      return "none";
    }
    String type = spec.path("type").asText("DAY").toLowerCase(Locale.ROOT);
    String field = spec.hasNonNull("field") ? spec.get("field").asText() : "_PARTITIONTIME";
    return "interval(type:" + type + ",field:" + field + ")";
  }

  /** OPTIONS(name = value, ...) of a DDL statement, each value evaluated: strings, numbers, labels, timestamps. */
  private Map<String, JsonNode> options(Statement statement) {
    Map<String, JsonNode> options = new LinkedHashMap<>();
    List<Token> tokens = statement.words();
    int as = bodyStartOrNone(tokens);
    List<Token> head = as < 0 ? tokens : tokens.subList(0, as);
    for (int i = 0; i + 1 < head.size(); i++) {
      if (!head.get(i).is("OPTIONS") || !head.get(i + 1).isSymbol("(")) {
        continue;
      }
      int depth = 0;
      int start = i + 2;
      List<List<Token>> entries = new ArrayList<>();
      for (int j = i + 1; j < head.size(); j++) {
        Token t = head.get(j);
        if (t.isSymbol("(") || t.isSymbol("[")) {
          depth++;
        } else if (t.isSymbol(")") || t.isSymbol("]")) {
          depth--;
          if (depth == 0) {
            entries.add(head.subList(start, j));
            break;
          }
        } else if (t.isSymbol(",") && depth == 1) {
          entries.add(head.subList(start, j));
          start = j + 1;
        }
      }
      for (List<Token> entry : entries) {
        if (entry.size() < 3 || !entry.get(1).isSymbol("=")) {
          continue;
        }
        String name = entry.get(0).text().toLowerCase(Locale.ROOT);
        List<Token> value = entry.subList(2, entry.size());
        options.put(name, optionValue(name, value));
      }
    }
    return options;
  }

  private JsonNode optionValue(String name, List<Token> value) {
    if (name.equals("labels")) {
      ObjectNode labels = NODES.objectNode();
      List<String> strings = value.stream().filter(t -> t.kind() == GoogleSql.Kind.STRING).map(Token::value)
          .toList();
      for (int i = 0; i + 1 < strings.size(); i += 2) {
        labels.put(strings.get(i), strings.get(i + 1));
      }
      return labels;
    }
    Object evaluated;
    try {
      // The tokens come without the spaces between them; rendering them spaced keeps INTERVAL 6 HOUR apart.
      evaluated = rows("SELECT " + GoogleSql.toDuckDb(GoogleSql.tokenize(joinWords(value)), p -> {
        throw BigQueryError.invalidQuery("OPTIONS values cannot read tables");
      }, now)).get(0).get(0);
    } catch (IllegalArgumentException e) {
      throw BigQueryError.invalidQuery("Invalid value for option " + name + ": " + e.getMessage());
    }
    if (evaluated instanceof OffsetDateTime time) {
      return NODES.numberNode(time.toInstant().toEpochMilli());
    }
    if (evaluated instanceof Number number) {
      return NODES.numberNode(number.doubleValue());
    }
    return evaluated == null ? NODES.nullNode() : NODES.textNode(evaluated.toString());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Load jobs

  private static final Pattern DECORATOR = Pattern.compile("(.+)\\$(\\d+)");

  private void runLoadJob(Job job, ObjectNode load) {
    JsonNode destination = load.path("destinationTable");
    String project = destination.path("projectId").asText(job.project);
    String datasetId = destination.path("datasetId").asText();
    String tableId = destination.path("tableId").asText();
    String partition = null;
    Matcher decorated = DECORATOR.matcher(tableId);
    if (decorated.matches()) {
      tableId = decorated.group(1);
      partition = decorated.group(2);
    }
    DatasetMeta meta = dataset(project, datasetId);
    job.location = checkLocations(Set.of(meta), null, job.location);
    String format = load.path("sourceFormat").asText("CSV");
    if (!format.equals("PARQUET")) {
      throw BigQueryError.invalid("The loopback BigQuery loads PARQUET files only (sourceFormat " + format + ")");
    }
    String write = load.path("writeDisposition").asText("WRITE_APPEND");
    String create = load.path("createDisposition").asText("CREATE_IF_NEEDED");
    List<String> updateOptions = new ArrayList<>();
    load.path("schemaUpdateOptions").forEach(o -> updateOptions.add(o.asText()));
    // https://cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobConfigurationLoad (schemaUpdateOptions)
    if (!updateOptions.isEmpty() && !(write.equals("WRITE_APPEND")
        || (write.equals("WRITE_TRUNCATE") && partition != null))) {
      throw BigQueryError.invalid("Schema update options should only be specified with WRITE_APPEND disposition, "
          + "or with WRITE_TRUNCATE disposition on a table partition.");
    }
    List<File> files = sourceFiles(load, meta);
    faults.checkLoad(tableId);
    TableMeta table = meta.tables.get(tableId);
    ObjectNode partitioning = load.hasNonNull("timePartitioning") ? (ObjectNode) load.get("timePartitioning") : null;
    if (partitioning != null && !partitioning.has("type")) {
      partitioning.put("type", "DAY");
    }
    ArrayNode jobFields = load.path("schema").path("fields").isArray()
        ? (ArrayNode) load.path("schema").path("fields").deepCopy() : null;
    String fileList = files.stream().map(f -> GoogleSql.stringLiteral(f.getAbsolutePath()))
        .collect(Collectors.joining(", ", "[", "]"));
    String source = "read_parquet(" + fileList + ")";
    ArrayNode fileFields = resultSchema("SELECT * FROM " + source + " LIMIT 0");
    ArrayNode loadFields = jobFields != null ? jobFields : fileFields;
    for (JsonNode field : loadFields) {
      ((ObjectNode) field).put("type", legacyType(field.path("type").asText()));
      if (!field.hasNonNull("mode")) {
        ((ObjectNode) field).put("mode", "NULLABLE");
      }
    }
    String friendly = project + ":" + datasetId + "." + tableId;
    if (table != null && table.type.equals("VIEW")) {
      throw BigQueryError.invalid("Cannot load into view " + friendly);
    }
    if (table == null && create.equals("CREATE_NEVER")) {
      throw BigQueryError.notFound("Table " + friendly);
    }
    List<String> loadClustering = new ArrayList<>();
    load.path("clustering").path("fields").forEach(f -> loadClustering.add(f.asText()));
    if (table != null && (partitioning != null || !loadClustering.isEmpty())
        && !specText(table.timePartitioning, table.clustering).equals(specText(partitioning, loadClustering))) {
      throw BigQueryError.invalid("Incompatible table partitioning specification. Expects partitioning "
          + "specification " + specText(table.timePartitioning, table.clustering) + ", but input partitioning "
          + "specification is " + specText(partitioning, loadClustering));
    }
    ObjectNode effectivePartitioning = table != null ? table.timePartitioning : partitioning;
    if (partition != null) {
      checkDecorator(friendly, partition, effectivePartitioning);
    }
    if (table != null && write.equals("WRITE_EMPTY")
        && ((Number) rows("SELECT count(*) FROM " + table.duckName()).get(0).get(0)).longValue() > 0) {
      throw BigQueryError.duplicate("Table " + friendly + " already contains data (writeDisposition WRITE_EMPTY)");
    }
    boolean inTransaction = false;
    try {
      execute("BEGIN TRANSACTION");
      inTransaction = true;
      if (table == null) {
        table = createTable(meta, tableId, loadFields.deepCopy(), partitioning == null ? null : partitioning.deepCopy(),
            loadClustering);
      } else if (write.equals("WRITE_TRUNCATE") && partition == null) {
        // A truncating load replaces the table's data and schema (partitioning and clustering stay).
        execute("DROP TABLE " + table.duckName());
        meta.tables.remove(tableId);
        TableMeta replaced = createTable(meta, tableId, loadFields.deepCopy(), table.timePartitioning,
            table.clustering);
        replaced.labels.putAll(table.labels);
        replaced.description = table.description;
        replaced.expirationTime = table.expirationTime;
        table = replaced;
      } else {
        // Without a schema in the job, the Parquet files' own (nullable) columns are matched by name and type.
        updateSchema(table, jobFields == null ? withTableModes(loadFields, table.fields) : loadFields,
            updateOptions.contains("ALLOW_FIELD_ADDITION"), updateOptions.contains("ALLOW_FIELD_RELAXATION"),
            "Provided Schema does not match Table " + friendly
                + ".");
      }
      if (write.equals("WRITE_TRUNCATE") && partition != null) {
        execute("DELETE FROM " + table.duckName() + " WHERE " + partitionCondition(table.timePartitioning,
            partition));
      }
      StringBuilder select = new StringBuilder();
      List<String> targetColumns = new ArrayList<>();
      for (JsonNode field : table.fields) {
        String name = field.path("name").asText();
        JsonNode inFile = field(fileFields, name);
        if (inFile == null) {
          continue;
        }
        targetColumns.add(GoogleSql.quoteIdentifier(name));
        select.append(select.length() == 0 ? "" : ", ").append("CAST(")
            .append(GoogleSql.quoteIdentifier(inFile.path("name").asText())).append(" AS ").append(duckType(field))
            .append(")");
      }
      for (JsonNode field : fileFields) {
        if (field(table.fields, field.path("name").asText()) == null) {
          throw BigQueryError.invalid("Provided Schema does not match Table " + friendly + ". Cannot add fields "
              + "(field: " + field.path("name").asText() + ")");
        }
      }
      long loaded = update("INSERT INTO " + table.duckName() + " (" + String.join(", ", targetColumns) + ") SELECT "
          + select + " FROM " + source);
      if (partition != null) {
        long outside = ((Number) rows("SELECT count(*) FROM " + source + " WHERE NOT ("
            + partitionCondition(table.timePartitioning, partition).replace(GoogleSql.quoteIdentifier(
                table.timePartitioning.path("field").asText()), "CAST(" + GoogleSql.quoteIdentifier(
                table.timePartitioning.path("field").asText()) + " AS " + duckType(field(table.fields,
                table.timePartitioning.path("field").asText())) + ")") + ")").get(0).get(0)).longValue();
        if (outside > 0) {
          throw BigQueryError.invalid("Some rows belong to different partitions rather than destination partition "
              + partition);
        }
      }
      execute("COMMIT");
      inTransaction = false;
      table.modified = millis();
      ObjectNode statistics = job.statistics.putObject("load");
      long bytes = files.stream().mapToLong(File::length).sum();
      statistics.put("inputFiles", String.valueOf(files.size()));
      statistics.put("inputFileBytes", String.valueOf(bytes));
      statistics.put("outputRows", String.valueOf(loaded));
      statistics.put("outputBytes", String.valueOf(bytes));
      statistics.put("badRecords", "0");
    } catch (BigQueryError e) {
      if (inTransaction) {
        execute("ROLLBACK");
        restoreMetadata(meta);
      }
      throw e;
    }
  }

  /** After a rolled-back load, the metadata follows DuckDB's catalog again (a created table is gone). */
  private void restoreMetadata(DatasetMeta meta) {
    Set<String> present = new LinkedHashSet<>();
    for (List<Object> row : rows("SELECT table_name FROM information_schema.tables WHERE table_schema = "
        + GoogleSql.stringLiteral(meta.id))) {
      present.add((String) row.get(0));
    }
    meta.tables.keySet().retainAll(present);
  }

  /** The partition decorator must name a partition of the table's partitioning type. */
  private static void checkDecorator(String table, String partition, JsonNode partitioning) {
    if (partitioning == null) {
      throw BigQueryError.invalid("Cannot add storage to a non-partitioned table with a partition reference: "
          + table);
    }
    String type = partitioning.path("type").asText("DAY");
    int digits = switch (type) {
      case "HOUR" -> 10;
      case "DAY" -> 8;
      case "MONTH" -> 6;
      default -> 4;
    };
    if (partition.length() != digits) {
      throw BigQueryError.invalid("Invalid partition decorator $" + partition + " for table " + table + ", which is "
          + "partitioned by " + type + " (expected " + digits + " digits)");
    }
    try {
      String padded = (partition + "0101").substring(0, 8);
      LocalDate.parse(padded, DateTimeFormatter.BASIC_ISO_DATE);
    } catch (RuntimeException e) {
      throw BigQueryError.invalid("Invalid partition decorator $" + partition + " for table " + table);
    }
  }

  private static String partitionCondition(JsonNode partitioning, String partition) {
    String field = GoogleSql.quoteIdentifier(partitioning.path("field").asText());
    String type = partitioning.path("type").asText("DAY");
    LocalDate start = LocalDate.parse((partition + "0101").substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE);
    return switch (type) {
      case "DAY" -> "CAST(" + field + " AS DATE) = DATE '" + start + "'";
      case "MONTH" -> "CAST(" + field + " AS DATE) >= DATE '" + start + "' AND CAST(" + field + " AS DATE) < DATE '"
          + start.plusMonths(1) + "'";
      case "YEAR" -> "CAST(" + field + " AS DATE) >= DATE '" + start + "' AND CAST(" + field + " AS DATE) < DATE '"
          + start.plusYears(1) + "'";
      default -> "date_trunc('hour', " + field + ") = TIMESTAMPTZ '" + start.atTime(LocalTime.of(
          Integer.parseInt(partition.substring(8)), 0)).atOffset(ZoneOffset.UTC) + "'";
    };
  }

  /**
   * The local files of the load's source URIs ({@code gs://bucket/path}, one {@code *} wildcard allowed); every
   * bucket must be served and in a location the dataset can load from.
   */
  private List<File> sourceFiles(JsonNode load, DatasetMeta meta) {
    List<File> files = new ArrayList<>();
    for (JsonNode uriNode : load.path("sourceUris")) {
      String uri = uriNode.asText();
      if (!uri.startsWith("gs://")) {
        throw BigQueryError.invalid("Source URI must be a Google Cloud Storage location: " + uri);
      }
      String withoutScheme = uri.substring("gs://".length());
      int slash = withoutScheme.indexOf('/');
      String bucketName = slash < 0 ? withoutScheme : withoutScheme.substring(0, slash);
      String objectPath = slash < 0 ? "" : withoutScheme.substring(slash + 1);
      LoopbackGcs.Bucket bucket = LoopbackGcs.bucket(bucketName);
      if (bucket == null || bucket.owner() != this) {
        throw BigQueryError.notFound("URI " + uri);
      }
      if (!canLoad(meta.location, bucket.location())) {
        throw BigQueryError.invalid("Cannot read and write in different locations: source: "
            + bucket.location().toUpperCase(Locale.ROOT) + ", destination: " + meta.location.toUpperCase(Locale.ROOT));
      }
      if (objectPath.chars().filter(c -> c == '*').count() > 1) {
        throw BigQueryError.invalid("Only one wildcard is allowed per source URI: " + uri);
      }
      List<File> matched = new ArrayList<>();
      int star = objectPath.indexOf('*');
      if (star < 0) {
        File file = new File(bucket.folder().toFile(), objectPath);
        if (file.isFile()) {
          matched.add(file);
        }
      } else {
        String prefix = objectPath.substring(0, star);
        String suffix = objectPath.substring(star + 1);
        try (var walk = Files.walk(bucket.folder())) {
          walk.filter(Files::isRegularFile).forEach(p -> {
            String relative = bucket.folder().relativize(p).toString().replace(File.separatorChar, '/');
            if (relative.startsWith(prefix) && relative.endsWith(suffix)
                && relative.length() >= prefix.length() + suffix.length()) {
              matched.add(p.toFile());
            }
          });
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      if (matched.isEmpty()) {
        throw BigQueryError.notFound("URI " + uri);
      }
      files.addAll(matched);
    }
    if (files.isEmpty()) {
      throw BigQueryError.invalid("Load configuration must specify at least one source URI");
    }
    return files;
  }

  /** The regions inside BigQuery's EU multi-region (https://cloud.google.com/bigquery/docs/locations). */
  private static final Set<String> EU_REGIONS = Set.of("europe-central2", "europe-north1", "europe-north2",
      "europe-southwest1", "europe-west1", "europe-west3", "europe-west4", "europe-west8", "europe-west9",
      "europe-west10", "europe-west12");

  /**
   * Whether a dataset in {@code datasetLocation} can load from a bucket in {@code bucketLocation}: "If your dataset's
   * location is set to a value other than the US multi-region, then the Cloud Storage bucket must be in the same
   * region or contained in the same multi-region as the dataset"
   * (https://cloud.google.com/bigquery/docs/loading-data-cloud-storage-parquet#limitations).
   */
  static boolean canLoad(String datasetLocation, String bucketLocation) {
    String dataset = datasetLocation.toLowerCase(Locale.ROOT);
    String bucket = bucketLocation.toLowerCase(Locale.ROOT);
    return dataset.equals(bucket) || dataset.equals("us")
        || (dataset.equals("eu") && EU_REGIONS.contains(bucket));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // DuckDB

  private void execute(String duckSql) {
    try (java.sql.Statement statement = duck.createStatement()) {
      statement.execute(duckSql);
    } catch (SQLException e) {
      throw BigQueryError.invalidQuery(duckMessage(e));
    }
  }

  private long update(String duckSql) {
    try (java.sql.Statement statement = duck.createStatement()) {
      statement.execute(duckSql);
      return Math.max(0, statement.getUpdateCount());
    } catch (SQLException e) {
      throw BigQueryError.invalidQuery(duckMessage(e));
    }
  }

  private QueryResult select(String duckSql) {
    try (java.sql.Statement statement = duck.createStatement(); ResultSet rs = statement.executeQuery(duckSql)) {
      List<ObjectNode> fields = fieldsOf(fields(rs.getMetaData()));
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(fields.size());
        for (int c = 1; c <= fields.size(); c++) {
          row.add(rs.getObject(c));
        }
        rows.add(row);
      }
      return new QueryResult(fields, rows, "SELECT", null, null, null);
    } catch (SQLException e) {
      throw BigQueryError.invalidQuery(duckMessage(e));
    }
  }

  private ArrayNode resultSchema(String duckSql) {
    try (java.sql.Statement statement = duck.createStatement(); ResultSet rs = statement.executeQuery(duckSql)) {
      return fields(rs.getMetaData());
    } catch (SQLException e) {
      throw BigQueryError.invalidQuery(duckMessage(e));
    }
  }

  private static ArrayNode fields(ResultSetMetaData metadata) throws SQLException {
    ArrayNode fields = NODES.arrayNode();
    for (int c = 1; c <= metadata.getColumnCount(); c++) {
      ObjectNode field = fields.addObject();
      field.put("name", metadata.getColumnLabel(c));
      field.put("type", bigQueryType(metadata.getColumnTypeName(c)));
      field.put("mode", "NULLABLE");
    }
    return fields;
  }

  private static String duckMessage(SQLException e) {
    String message = String.valueOf(e.getMessage());
    return "Query error (DuckDB): " + message.replaceAll("\\s+", " ").strip();
  }
}
