package dev.segments.sink.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * The REST face of the loopback: BigQuery REST v2 resources ({@code datasets}, {@code tables}, {@code tabledata},
 * {@code jobs}, {@code queries}) routed from the HTTP server to the {@link Catalog} and {@link Jobs}, answered in
 * BigQuery's JSON shapes (resources, pages of rows, errors), each call recorded and checked against the armed
 * {@link Faults}. Calls are served one at a time, under the server's lock.
 */
final class RestApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String API = "/bigquery/v2/projects/";

  private final LoopbackBigQuery owner;
  private final Catalog catalog;
  private final DuckDbEngine engine;
  private final Jobs jobs;
  private final Faults faults;
  private final List<LoopbackBigQuery.RecordedRequest> requests;

  RestApi(LoopbackBigQuery owner, Catalog catalog, DuckDbEngine engine, Jobs jobs, Faults faults,
      List<LoopbackBigQuery.RecordedRequest> requests) {
    this.owner = owner;
    this.catalog = catalog;
    this.engine = engine;
    this.jobs = jobs;
    this.faults = faults;
    this.requests = requests;
  }

  void handle(HttpExchange exchange) {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
      if (override != null) {
        method = override;
      }
      String body = readBody(exchange);
      URI uri = exchange.getRequestURI();
      LoopbackBigQuery.RecordedRequest request = new LoopbackBigQuery.RecordedRequest(method, uri.getPath(), uri.getRawQuery(), body);
      requests.add(request);
      int status = 200;
      JsonNode answer;
      try {
        faults.checkRequest(request);
        synchronized (owner) {
          catalog.expireTables();
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
          return datasetJson(catalog.dataset(project, rest.get(1)));
        }
        case "PATCH %/%", "PUT %/%" -> {
          DatasetMeta meta = catalog.dataset(project, rest.get(1));
          catalog.patchDataset(meta, body);
          return datasetJson(meta);
        }
        case "DELETE %/%" -> {
          faults.check(Step.DATASETS_DELETE);
          catalog.deleteDataset(project, rest.get(1), "true".equals(params.get("deleteContents")));
          return null;
        }
        case "GET %/%/%" -> {
          faults.check(Step.TABLES_LIST);
          return listTables(catalog.dataset(project, rest.get(1)));
        }
        case "POST %/%/%" -> {
          faults.check(Step.TABLES_INSERT);
          return insertTable(project, rest.get(1), body);
        }
        case "GET %/%/%/%" -> {
          faults.check(Step.TABLES_GET);
          return tableJson(catalog.table(project, rest.get(1), rest.get(3)));
        }
        case "PATCH %/%/%/%", "PUT %/%/%/%" -> {
          faults.check(Step.TABLES_PATCH);
          TableMeta table = catalog.table(project, rest.get(1), rest.get(3));
          catalog.patchTable(table, body);
          return tableJson(table);
        }
        case "DELETE %/%/%/%" -> {
          faults.check(Step.TABLES_DELETE);
          catalog.deleteTable(catalog.table(project, rest.get(1), rest.get(3)));
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
          return jobJson(jobs.insertJob(project, body));
        }
        case "GET %/%" -> {
          faults.check(Step.JOBS_GET);
          return jobJson(jobs.job(project, rest.get(1)));
        }
        case "POST %/%/%" -> {
          faults.check(Step.JOBS_CANCEL);
          ObjectNode answer = NODES.objectNode();
          answer.put("kind", "bigquery#jobCancelResponse");
          answer.set("job", jobJson(jobs.job(project, rest.get(1))));
          return answer;
        }
        default -> { }
      }
    } else if (kind.equals("queries")) {
      switch (shape) {
        case "POST %" -> {
          faults.check(Step.JOBS_QUERY);
          return queryResponse(project, body);
        }
        case "GET %/%" -> {
          faults.check(Step.JOBS_GET_QUERY_RESULTS);
          return getQueryResults(jobs.job(project, rest.get(1)), params);
        }
        default -> { }
      }
    }
    throw BigQueryError.notFound("the loopback BigQuery does not serve " + method + " " + path);
  }

  private static String decode(String part) {
    return URLDecoder.decode(part, StandardCharsets.UTF_8);
  }

  private ObjectNode insertDataset(String project, JsonNode body) {
    JsonNode reference = body.path("datasetReference");
    String id = reference.path("datasetId").asText("");
    String location = body.path("location").asText("US");
    Map<String, String> labels = new LinkedHashMap<>();
    body.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    DatasetMeta meta = catalog.createDataset(project, id, location, labels, false);
    if (body.hasNonNull("defaultTableExpirationMs")) {
      meta.defaultTableExpirationMs = body.get("defaultTableExpirationMs").asLong();
    }
    meta.description = body.path("description").isMissingNode() ? null : body.path("description").asText();
    return datasetJson(meta);
  }

  private ObjectNode datasetJson(DatasetMeta meta) {
    ObjectNode json = NODES.objectNode();
    json.put("kind", "bigquery#dataset");
    json.put("etag", Long.toHexString(meta.modified));
    json.put("id", meta.project + ":" + meta.id);
    json.put("selfLink", owner.endpoint() + API + meta.project + "/datasets/" + meta.id);
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
    json.put("etag", Long.toHexString(catalog.millis()));
    if (project.equals(catalog.projectId()) && !catalog.datasets().isEmpty()) {
      ArrayNode list = json.putArray("datasets");
      for (DatasetMeta meta : catalog.datasets().values()) {
        ObjectNode item = list.addObject();
        item.put("kind", "bigquery#dataset");
        item.put("id", meta.project + ":" + meta.id);
        item.set("datasetReference", datasetJson(meta).get("datasetReference"));
        item.put("location", meta.location);
      }
    }
    return json;
  }

  private ObjectNode insertTable(String project, String datasetId, JsonNode body) {
    DatasetMeta meta = catalog.dataset(project, datasetId);
    BigQueryRules.checkLabels(body.path("labels"));
    String id = body.path("tableReference").path("tableId").asText("");
    BigQueryRules.checkTableId(id);
    if (meta.tables.containsKey(id)) {
      throw BigQueryError.duplicate("Table " + project + ":" + datasetId + "." + id);
    }
    TableMeta table;
    if (body.has("view")) {
      String sql = body.path("view").path("query").asText();
      if (body.path("view").path("useLegacySql").asBoolean(false)) {
        throw BigQueryError.invalid("The loopback BigQuery runs GoogleSQL only (useLegacySql is true)");
      }
      jobs.checkView(sql);
      table = catalog.createView(meta, id, sql, meta.location);
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
      table = catalog.createTable(meta, id, fields, partitioning, clustering);
    }
    if (body.hasNonNull("expirationTime")) {
      table.expirationTime = body.get("expirationTime").asLong();
    }
    body.path("labels").fields().forEachRemaining(e -> table.labels.put(e.getKey(), e.getValue().asText()));
    table.description = body.hasNonNull("description") ? body.get("description").asText() : null;
    return tableJson(table);
  }

  private ObjectNode tableJson(TableMeta table) {
    ObjectNode json = NODES.objectNode();
    json.put("kind", "bigquery#table");
    json.put("etag", Long.toHexString(table.modified));
    json.put("id", table.friendly());
    json.put("selfLink", owner.endpoint() + API + table.dataset.project + "/datasets/" + table.dataset.id + "/tables/"
        + table.id);
    json.set("tableReference", table.reference());
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
      long rows = ((Number) engine.rows("SELECT count(*) FROM " + table.duckName()).get(0).get(0)).longValue();
      json.put("numRows", String.valueOf(rows));
      json.put("numBytes", String.valueOf(rows * 8 * Math.max(1, table.fields.size())));
      json.put("numLongTermBytes", "0");
    }
    return json;
  }

  private ObjectNode listTables(DatasetMeta meta) {
    ObjectNode json = NODES.objectNode();
    json.put("kind", "bigquery#tableList");
    json.put("etag", Long.toHexString(catalog.millis()));
    ArrayNode list = json.putArray("tables");
    for (TableMeta table : meta.tables.values()) {
      ObjectNode item = list.addObject();
      item.put("kind", "bigquery#table");
      item.put("id", table.friendly());
      item.set("tableReference", table.reference());
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
    if (dataset.equals(Catalog.ANONYMOUS_DATASET)) {
      result = jobs.anonymousResult(project, dataset, tableId);
    } else {
      TableMeta table = catalog.table(project, dataset, tableId);
      result = engine.select("SELECT * FROM " + table.duckName());
    }
    ObjectNode json = NODES.objectNode();
    json.put("kind", "bigquery#tableDataList");
    json.put("etag", Long.toHexString(catalog.millis()));
    json.put("totalRows", String.valueOf(result.rows().size()));
    page(json, result, params, useInt64Timestamp(params));
    return json;
  }

  /** Adds {@code rows} (and {@code pageToken} when rows remain) for startIndex/pageToken and maxResults. */
  private static void page(ObjectNode json, QueryResult result, Map<String, String> params, boolean int64Timestamp) {
    int start = params.containsKey("pageToken") ? Integer.parseInt(params.get("pageToken"))
        : Integer.parseInt(params.getOrDefault("startIndex", "0"));
    int max = params.containsKey("maxResults") ? Integer.parseInt(params.get("maxResults")) : Integer.MAX_VALUE;
    int end = (int) Math.min(result.rows().size(), (long) start + max);
    if (end > start) {
      ArrayNode rows = json.putArray("rows");
      for (List<Object> row : result.rows().subList(start, end)) {
        ObjectNode r = rows.addObject();
        ArrayNode cells = r.putArray("f");
        for (int c = 0; c < row.size(); c++) {
          ObjectNode cell = cells.addObject();
          Object value = row.get(c);
          if (value == null) {
            cell.putNull("v");
          } else {
            cell.put("v", cellText(value, result.fields().get(c).path("type").asText(), int64Timestamp));
          }
        }
      }
    }
    if (end < result.rows().size()) {
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

  private ObjectNode jobJson(Job job) {
    ObjectNode json = NODES.objectNode();
    json.put("kind", "bigquery#job");
    json.put("etag", Long.toHexString(job.created));
    json.put("id", job.project + ":" + (job.location == null ? "" : job.location + ".") + job.id);
    json.put("selfLink", owner.endpoint() + API + job.project + "/jobs/" + job.id);
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

  private ObjectNode queryResponse(String project, JsonNode body) {
    Job job = jobs.query(project, body);
    ObjectNode json = NODES.objectNode();
    json.put("kind", "bigquery#queryResponse");
    ObjectNode reference = json.putObject("jobReference");
    reference.put("projectId", project);
    reference.put("jobId", job.id);
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
    result.fields().forEach(fields::add);
    json.put("totalRows", String.valueOf(result.rows().size()));
    page(json, result, params, int64Timestamp);
    json.put("totalBytesProcessed", "0");
    json.put("jobComplete", true);
    json.put("cacheHit", false);
    if (result.affectedRows() != null) {
      json.put("numDmlAffectedRows", String.valueOf(result.affectedRows()));
    }
  }
}
