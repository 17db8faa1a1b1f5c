package dev.segments.sink.loopback;

import static dev.segments.sink.loopback.TableMeta.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Load jobs: Parquet files from the served {@code gs://} buckets into a table or one partition of it
 * ({@code table$yyyymmdd}), with BigQuery's create and write dispositions and schema update options; a load is
 * atomic (a failure leaves the table as it was).
 */
final class LoadJobs {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final LoopbackBigQuery owner;
  private final Catalog catalog;
  private final DuckDbEngine engine;
  private final Faults faults;

  LoadJobs(LoopbackBigQuery owner, Catalog catalog, DuckDbEngine engine, Faults faults) {
    this.owner = owner;
    this.catalog = catalog;
    this.engine = engine;
    this.faults = faults;
  }

  private static final Pattern DECORATOR = Pattern.compile("(.+)\\$(\\d+)");

  /** Runs a load job; its outcome is stored in {@code job}, or thrown as the error it ends with. */
  void run(Job job, ObjectNode load) {
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
    DatasetMeta meta = catalog.dataset(project, datasetId);
    job.location = Catalog.checkLocations(Set.of(meta), null, job.location);
    String format = load.path("sourceFormat").asText("CSV");
    if (!format.equals("PARQUET")) {
      throw BigQueryError.invalid("The loopback BigQuery loads PARQUET files only (sourceFormat " + format + ")");
    }
    String write = load.path("writeDisposition").asText("WRITE_APPEND");
    String create = load.path("createDisposition").asText("CREATE_IF_NEEDED");
    List<String> updateOptions = new ArrayList<>();
    load.path("schemaUpdateOptions").forEach(o -> updateOptions.add(o.asText()));
    BigQueryRules.checkSchemaUpdateOptions(updateOptions, write, partition);
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
    ArrayNode fileFields = engine.resultSchema("SELECT * FROM " + source + " LIMIT 0");
    ArrayNode loadFields = jobFields != null ? jobFields : fileFields;
    for (JsonNode field : loadFields) {
      ((ObjectNode) field).put("type", BigQueryTypes.legacyType(field.path("type").asText()));
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
        && !BigQueryRules.specText(table.timePartitioning, table.clustering).equals(BigQueryRules.specText(partitioning, loadClustering))) {
      throw BigQueryError.invalid("Incompatible table partitioning specification. Expects partitioning "
          + "specification " + BigQueryRules.specText(table.timePartitioning, table.clustering) + ", but input partitioning "
          + "specification is " + BigQueryRules.specText(partitioning, loadClustering));
    }
    ObjectNode effectivePartitioning = table != null ? table.timePartitioning : partitioning;
    if (partition != null) {
      BigQueryRules.checkDecorator(friendly, partition, effectivePartitioning);
    }
    if (table != null && write.equals("WRITE_EMPTY")
        && ((Number) engine.rows("SELECT count(*) FROM " + table.duckName()).get(0).get(0)).longValue() > 0) {
      throw BigQueryError.duplicate("Table " + friendly + " already contains data (writeDisposition WRITE_EMPTY)");
    }
    boolean inTransaction = false;
    try {
      engine.execute("BEGIN TRANSACTION");
      inTransaction = true;
      if (table == null) {
        table = catalog.createTable(meta, tableId, loadFields.deepCopy(), partitioning == null ? null : partitioning.deepCopy(),
            loadClustering);
      } else if (write.equals("WRITE_TRUNCATE") && partition == null) {
        // A truncating load replaces the table's data and schema (partitioning and clustering stay).
        engine.execute("DROP TABLE " + table.duckName());
        meta.tables.remove(tableId);
        TableMeta replaced = catalog.createTable(meta, tableId, loadFields.deepCopy(), table.timePartitioning,
            table.clustering);
        replaced.labels.putAll(table.labels);
        replaced.description = table.description;
        replaced.expirationTime = table.expirationTime;
        table = replaced;
      } else {
        // Without a schema in the job, the Parquet files' own (nullable) columns are matched by name and type.
        catalog.updateSchema(table, jobFields == null ? withTableModes(loadFields, table.fields) : loadFields,
            updateOptions.contains("ALLOW_FIELD_ADDITION"), updateOptions.contains("ALLOW_FIELD_RELAXATION"),
            "Provided Schema does not match Table " + friendly
                + ".");
      }
      if (write.equals("WRITE_TRUNCATE") && partition != null) {
        engine.execute("DELETE FROM " + table.duckName() + " WHERE " + partitionCondition(table.timePartitioning,
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
            .append(GoogleSql.quoteIdentifier(inFile.path("name").asText())).append(" AS ").append(BigQueryTypes.duckType(field))
            .append(")");
      }
      for (JsonNode field : fileFields) {
        if (field(table.fields, field.path("name").asText()) == null) {
          throw BigQueryError.invalid("Provided Schema does not match Table " + friendly + ". Cannot add fields "
              + "(field: " + field.path("name").asText() + ")");
        }
      }
      long loaded = engine.update("INSERT INTO " + table.duckName() + " (" + String.join(", ", targetColumns) + ") SELECT "
          + select + " FROM " + source);
      if (partition != null) {
        long outside = ((Number) engine.rows("SELECT count(*) FROM " + source + " WHERE NOT ("
            + partitionCondition(table.timePartitioning, partition).replace(GoogleSql.quoteIdentifier(
                table.timePartitioning.path("field").asText()), "CAST(" + GoogleSql.quoteIdentifier(
                table.timePartitioning.path("field").asText()) + " AS " + BigQueryTypes.duckType(field(table.fields,
                table.timePartitioning.path("field").asText())) + ")") + ")").get(0).get(0)).longValue();
        if (outside > 0) {
          throw BigQueryError.invalid("Some rows belong to different partitions rather than destination partition "
              + partition);
        }
      }
      engine.execute("COMMIT");
      inTransaction = false;
      table.modified = catalog.millis();
      ObjectNode statistics = job.statistics.putObject("load");
      long bytes = files.stream().mapToLong(File::length).sum();
      statistics.put("inputFiles", String.valueOf(files.size()));
      statistics.put("inputFileBytes", String.valueOf(bytes));
      statistics.put("outputRows", String.valueOf(loaded));
      statistics.put("outputBytes", String.valueOf(bytes));
      statistics.put("badRecords", "0");
    } catch (BigQueryError e) {
      if (inTransaction) {
        engine.execute("ROLLBACK");
        restoreMetadata(meta);
      }
      throw e;
    }
  }

  /** After a rolled-back load, the metadata follows DuckDB's catalog again (a created table is gone). */
  private void restoreMetadata(DatasetMeta meta) {
    Set<String> present = new LinkedHashSet<>();
    for (List<Object> row : engine.rows("SELECT table_name FROM information_schema.tables WHERE table_schema = "
        + GoogleSql.stringLiteral(meta.id))) {
      present.add((String) row.get(0));
    }
    meta.tables.keySet().retainAll(present);
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
      if (bucket == null || bucket.owner() != owner) {
        throw BigQueryError.notFound("URI " + uri);
      }
      if (!BigQueryRules.canLoad(meta.location, bucket.location())) {
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
}
