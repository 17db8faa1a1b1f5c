package dev.segments.sink.loopback;

import static dev.segments.sink.loopback.TableMeta.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.sink.loopback.GoogleSql.TablePath;
import dev.segments.sink.loopback.GoogleSql.Token;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The datasets and tables the loopback holds: their metadata (schemas, partitioning, clustering, options, locations)
 * beside their rows in DuckDB, the server's clock, table expiry, and the name resolution every job goes through.
 */
final class Catalog {
  /** The dataset the anonymous result tables of query jobs are read from ({@code tabledata.list}). */
  static final String ANONYMOUS_DATASET = "_loopback_query_results";

  private final String projectId;
  private final DuckDbEngine engine;
  private final Map<String, DatasetMeta> datasets = new LinkedHashMap<>();
  private Instant now = Instant.parse("2026-11-30T02:00:00Z");

  Catalog(String projectId, DuckDbEngine engine) {
    this.projectId = projectId;
    this.engine = engine;
  }

  String projectId() {
    return projectId;
  }

  /** The server's clock: creation times, CURRENT_TIMESTAMP() and table expiry. */
  Instant now() {
    return now;
  }

  void advanceClock(Duration duration) {
    now = now.plus(duration);
  }

  long millis() {
    return now.toEpochMilli();
  }

  Map<String, DatasetMeta> datasets() {
    return datasets;
  }

  DatasetMeta dataset(String project, String id) {
    DatasetMeta meta = project.equals(projectId) ? datasets.get(id) : null;
    if (meta == null) {
      throw BigQueryError.notFound("Dataset " + project + ":" + id);
    }
    return meta;
  }

  TableMeta table(String project, String dataset, String table) {
    if (dataset.equals(ANONYMOUS_DATASET)) {
      throw BigQueryError.notFound("Table " + project + ":" + dataset + "." + table);
    }
    TableMeta meta = dataset(project, dataset).tables.get(table);
    if (meta == null) {
      throw BigQueryError.notFound("Table " + project + ":" + dataset + "." + table);
    }
    return meta;
  }

  /** Creates a dataset; an existing one is {@code duplicate} unless {@code ifNotExists}. */
  DatasetMeta createDataset(String project, String id, String location, Map<String, String> labels,
      boolean ifNotExists) {
    if (!project.equals(projectId)) {
      throw new BigQueryError(403, "accessDenied",
          "Access Denied: Project " + project + ": the loopback BigQuery serves project " + projectId);
    }
    BigQueryRules.checkDatasetId(id);
    BigQueryRules.checkLabels(labels);
    DatasetMeta existing = datasets.get(id);
    if (existing != null) {
      if (ifNotExists) {
        return existing;
      }
      throw BigQueryError.duplicate("Dataset " + project + ":" + id);
    }
    DatasetMeta meta = new DatasetMeta(project, id, location, millis());
    meta.labels.putAll(labels);
    engine.execute("CREATE SCHEMA " + GoogleSql.quoteIdentifier(id));
    datasets.put(id, meta);
    return meta;
  }

  /** Applies a {@code datasets.patch} or {@code update} body: labels, default table expiration; the location is fixed. */
  void patchDataset(DatasetMeta meta, JsonNode body) {
    if (body.has("labels")) {
      BigQueryRules.checkLabels(body.get("labels"));
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
  }

  void deleteDataset(String project, String id, boolean deleteContents) {
    DatasetMeta meta = dataset(project, id);
    if (!meta.tables.isEmpty() && !deleteContents) {
      throw new BigQueryError(400, "resourceInUse", "Dataset " + project + ":" + id + " is still in use");
    }
    engine.execute("DROP SCHEMA " + GoogleSql.quoteIdentifier(id) + " CASCADE");
    datasets.remove(id);
  }

  /**
   * Drops the tables whose {@code expirationTime} has passed and deletes the expired partitions of tables with a
   * partition expiration (rule: table and partition expiration in {@link BigQueryRules}).
   */
  void expireTables() {
    for (DatasetMeta meta : datasets.values()) {
      Iterator<TableMeta> tables = meta.tables.values().iterator();
      while (tables.hasNext()) {
        TableMeta table = tables.next();
        if (table.expirationTime != null && table.expirationTime <= millis()) {
          engine.execute("DROP " + (table.type.equals("VIEW") ? "VIEW " : "TABLE ") + table.duckName());
          tables.remove();
        } else if (table.timePartitioning != null && table.timePartitioning.hasNonNull("expirationMs")
            && table.timePartitioning.hasNonNull("field")) {
          // A partition expires at its boundary (UTC) plus the table's partition expiration
          // (https://cloud.google.com/bigquery/docs/managing-partitioned-tables#partition-expiration).
          engine.execute("DELETE FROM " + table.duckName() + " WHERE epoch_ms(CAST(" + GoogleSql.quoteIdentifier(
              table.timePartitioning.get("field").asText()) + " AS TIMESTAMP)) + "
              + table.timePartitioning.get("expirationMs").asLong() + " <= " + millis());
        }
      }
    }
  }

  /** Creates an empty table; the schema, partitioning and clustering are checked as BigQuery checks them. */
  TableMeta createTable(DatasetMeta meta, String id, ArrayNode fields, ObjectNode partitioning,
      List<String> clustering) {
    BigQueryRules.checkTableId(id);
    Set<String> names = new LinkedHashSet<>();
    List<String> columns = new ArrayList<>();
    for (JsonNode field : fields) {
      ObjectNode f = (ObjectNode) field;
      String name = f.path("name").asText();
      BigQueryRules.checkColumnName(name);
      if (!names.add(name.toLowerCase(Locale.ROOT))) {
        throw BigQueryError.invalid("Field " + name + " already exists in schema");
      }
      f.put("type", BigQueryTypes.legacyType(f.path("type").asText()));
      if (!f.hasNonNull("mode")) {
        f.put("mode", "NULLABLE");
      }
      columns.add(GoogleSql.quoteIdentifier(name) + " " + BigQueryTypes.duckType(f) + (f.path("mode").asText().equals("REQUIRED")
          ? " NOT NULL" : ""));
    }
    if (partitioning != null) {
      BigQueryRules.checkPartitioning(meta, id, fields, partitioning);
    }
    BigQueryRules.checkClustering(fields, clustering);
    engine.execute("CREATE TABLE " + GoogleSql.quoteIdentifier(meta.id) + "." + GoogleSql.quoteIdentifier(id) + " ("
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

  /** Creates (or replaces) a view from its GoogleSQL; the tables it reads must be in the view's location. */
  TableMeta createView(DatasetMeta meta, String id, String sql, String jobLocation) {
    BigQueryRules.checkTableId(id);
    Set<DatasetMeta> used = new LinkedHashSet<>();
    List<Token> tokens = GoogleSql.tokenize(sql);
    String duckSql = GoogleSql.toDuckDb(tokens, path -> resolveTable(path, null, used).duckName(), now);
    checkLocations(used, meta.location, jobLocation);
    String name = GoogleSql.quoteIdentifier(meta.id) + "." + GoogleSql.quoteIdentifier(id);
    engine.execute("CREATE OR REPLACE VIEW " + name + " AS " + duckSql);
    TableMeta view = new TableMeta(meta, id, "VIEW", millis());
    view.viewQuery = sql;
    view.fields = engine.resultSchema("SELECT * FROM " + name + " LIMIT 0");
    meta.tables.put(id, view);
    return view;
  }

  /** Applies a {@code tables.patch} or {@code update} body; the partitioning spec cannot change. */
  void patchTable(TableMeta table, JsonNode body) {
    if (body.has("expirationTime")) {
      table.expirationTime = body.get("expirationTime").isNull() ? null : body.get("expirationTime").asLong();
    }
    if (body.has("labels")) {
      BigQueryRules.checkLabels(body.get("labels"));
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
    if (body.has("timePartitioning") && !BigQueryRules.samePartitioning(table.timePartitioning, body.get("timePartitioning"))) {
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
        JsonNode existing = TableMeta.field(table.fields, field.path("name").asText());
        if (existing == null
            || !existing.path("type").asText().equals(BigQueryTypes.legacyType(field.path("type").asText()))
            || fields.size() != table.fields.size()) {
          throw BigQueryError.invalid("Provided Schema does not match Table " + table.friendly() + ".");
        }
      }
      describeFields(table, fields);
    }
    table.modified = millis();
  }

  /** Column descriptions of a patched schema: each field's description replaces the stored one (none removes it). */
  private static void describeFields(TableMeta table, JsonNode fields) {
    for (JsonNode field : fields) {
      ObjectNode stored = (ObjectNode) TableMeta.field(table.fields, field.path("name").asText());
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
  void updateSchema(TableMeta table, JsonNode fields, boolean allowAddition, boolean allowRelaxation,
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
      String type = BigQueryTypes.legacyType(field.path("type").asText());
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
        BigQueryRules.checkColumnName(name);
        ObjectNode added = table.fields.addObject();
        added.put("name", name);
        added.put("type", type);
        added.put("mode", mode);
        engine.execute("ALTER TABLE " + table.duckName() + " ADD COLUMN " + GoogleSql.quoteIdentifier(name) + " "
            + BigQueryTypes.duckType(added));
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
        engine.execute("ALTER TABLE " + table.duckName() + " ALTER COLUMN " + GoogleSql.quoteIdentifier(name)
            + " DROP NOT NULL");
      } else if (existingMode.equals("NULLABLE") && mode.equals("REQUIRED")) {
        // BigQuery keeps the column NULLABLE when a load's schema says REQUIRED for an existing NULLABLE column.
        continue;
      }
    }
  }

  void deleteTable(TableMeta table) {
    engine.execute("DROP " + (table.type.equals("VIEW") ? "VIEW " : "TABLE ") + table.duckName());
    table.dataset.tables.remove(table.id);
  }

  /** Resolves a table path; a missing dataset or table is BigQuery's 404. */
  TableMeta resolveTable(TablePath path, String defaultDataset, Set<DatasetMeta> used) {
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
  static String checkLocations(Set<DatasetMeta> used, String datasetLocation, String jobLocation) {
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

  /** The schemas of every table and view, for the analyzer's catalog. */
  List<SqlAnalyzer.CatalogTable> catalogTables() {
    List<SqlAnalyzer.CatalogTable> tables = new ArrayList<>();
    for (DatasetMeta meta : datasets.values()) {
      for (TableMeta table : meta.tables.values()) {
        tables.add(new SqlAnalyzer.CatalogTable(meta.project, meta.id, table.id, table.fields));
      }
    }
    return tables;
  }


  /**
   * Every table's rows in a dataset (views left out), each row as its values' text joined by {@code |}, rows sorted:
   * for asserting that a failure left every table exactly as it was.
   */
  Map<String, List<String>> contents(String dataset) {
    expireTables();
    Map<String, List<String>> contents = new TreeMap<>();
    DatasetMeta meta = datasets.get(dataset);
    if (meta != null) {
      for (TableMeta table : meta.tables.values()) {
        if (table.type.equals("TABLE")) {
          contents.put(table.id, engine.rows("SELECT * FROM " + table.duckName()).stream()
              .map(row -> row.stream().map(String::valueOf).collect(Collectors.joining("|"))).sorted().toList());
        }
      }
    }
    return contents;
  }

  /** The names of the tables and views of a dataset, sorted. */
  List<String> tableNames(String dataset) {
    expireTables();
    DatasetMeta meta = datasets.get(dataset);
    return meta == null ? List.of() : meta.tables.keySet().stream().sorted().toList();
  }
}
