package dev.segments.sink.loopback;

import static dev.segments.sink.loopback.TableMeta.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.sink.loopback.GoogleSql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The BigQuery rules the loopback enforces, each with the documentation page it comes from, so a reader can check
 * the double against the service and a failing test names the rule it broke. The checks that need only the request
 * are methods of this class; the rules that are the behaviour of state (transactions, locations, idempotent
 * requests, expiry) are carried out by {@link Jobs}, {@link Catalog} and {@link LoadJobs}, and listed here with the
 * place that keeps them. Each is tested in LoopbackRulesTest, LoopbackFaultsTest, LoopbackConnectorTest or
 * LoopbackViewsTest.
 *
 * <h2>Rules</h2>
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
 *       deleted (https://cloud.google.com/bigquery/docs/managing-tables#updating_a_tables_expiration_time); a
 *       partition past its boundary plus the table's {@code timePartitioning.expirationMs} (ALTER TABLE SET OPTIONS
 *       partition_expiration_days) is deleted
 *       (https://cloud.google.com/bigquery/docs/managing-partitioned-tables#partition-expiration); kept by
 *       {@link Catalog}.</li>
 *   <li>jobs.query is idempotent by {@code requestId}: a retried request answers the first outcome
 *       (https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query#QueryRequest); kept by {@link Jobs}.</li>
 *   <li>Labels on datasets, tables and jobs: keys and values of lowercase letters, international characters,
 *       digits, underscores and dashes, at most 63 characters; keys start with a lowercase letter or an
 *       international character ({@link #checkLabels}; https://cloud.google.com/bigquery/docs/labels-intro#requirements).</li>
 *   <li>Job IDs: letters, digits, underscores and dashes, at most 1024 characters ({@link #checkJobId};
 *       https://cloud.google.com/bigquery/docs/reference/rest/v2/JobReference).</li>
 *   <li>Column names: at most 300 characters, none starting with a reserved prefix ({@code _PARTITION},
 *       {@code _TABLE_}, {@code _FILE_}, {@code _ROW_TIMESTAMP}, {@code __ROOT__}, {@code _COLIDENTIFIER})
 *       ({@link #checkColumnName}; https://cloud.google.com/bigquery/docs/schemas#column_names).</li>
 *   <li>Clustering columns are top-level, non-repeated columns of type DATE, BOOL, GEOGRAPHY, INT64, NUMERIC,
 *       BIGNUMERIC, STRING, TIMESTAMP, DATETIME or RANGE ({@link #checkClustering};
 *       https://cloud.google.com/bigquery/docs/creating-clustered-tables#limitations).</li>
 *   <li>Division by zero is an error ("division by zero"), not Infinity or NULL; SAFE_DIVIDE answers NULL
 *       (https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#arithmetic_operators); rendered
 *       by {@link GoogleSql} through the DuckDB macro {@link DuckDbEngine#DIVISOR}.</li>
 *   <li>A transaction conflicting with a concurrent update of one of its tables is aborted at COMMIT and rolled
 *       back: 400 {@code invalidQuery} "Transaction is aborted due to concurrent update against table ..."
 *       (https://cloud.google.com/bigquery/docs/transactions#transaction_concurrency); served one call at a time,
 *       the loopback produces it when a test arms {@link Faults#failCommit(int)}.</li>
 * </ol>
 */
final class BigQueryRules {
  private BigQueryRules() {}

  private static final Pattern DATASET_ID = Pattern.compile("[A-Za-z0-9_]{1,1024}");
  private static final Pattern TABLE_ID = Pattern.compile("[\\p{L}\\p{M}\\p{N}\\p{Pc}\\p{Pd}\\p{Zs}]{1,1024}");

  /**
   * Dataset IDs: letters, digits and underscores, at most 1024 characters
   * (https://cloud.google.com/bigquery/docs/datasets#dataset-naming).
   */
  static void checkDatasetId(String id) {
    if (!DATASET_ID.matcher(id).matches()) {
      throw BigQueryError.invalid("Invalid dataset ID \"" + id + "\". Dataset IDs must be alphanumeric (plus "
          + "underscores) and must be at most 1024 characters long.");
    }
  }

  /**
   * Table IDs: letters, marks, numbers, connectors, dashes and spaces, at most 1024 characters
   * (https://cloud.google.com/bigquery/docs/tables#table_naming).
   */
  static void checkTableId(String id) {
    if (!TABLE_ID.matcher(id).matches()) {
      throw BigQueryError.invalid("Invalid table ID \"" + id + "\". Table IDs must be alphanumeric (plus "
          + "underscores, dashes and spaces) and must be at most 1024 characters long.");
    }
  }

  /**
   * Time partitioning: DAY, HOUR, MONTH or YEAR on a DATE, TIMESTAMP or DATETIME column (HOUR not on DATE)
   * (https://cloud.google.com/bigquery/docs/partitioned-tables#date_timestamp_partitioned_tables).
   */
  static void checkPartitioning(DatasetMeta meta, String id, ArrayNode fields, ObjectNode partitioning) {
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

  /**
   * Clustering: at most four columns, each in the schema
   * (https://cloud.google.com/bigquery/docs/clustered-tables#limitations).
   */
  static void checkClustering(JsonNode fields, List<String> clustering) {
    if (clustering.size() > 4) {
      throw BigQueryError.invalid("Too many clustering fields: " + clustering.size() + ", only 4 are allowed");
    }
    for (String column : clustering) {
      JsonNode field = field(fields, column);
      if (field == null) {
        throw BigQueryError.invalid("The field specified for clustering cannot be found in the schema. Invalid "
            + "field: " + column + ".");
      }
      String type = BigQueryTypes.legacyType(field.path("type").asText());
      if (!CLUSTERING_TYPES.contains(type) || field.path("mode").asText().equals("REPEATED")) {
        throw BigQueryError.invalid("Field " + column + " of type " + type + (field.path("mode").asText()
            .equals("REPEATED") ? " (REPEATED)" : "") + " cannot be used for clustering: clustering fields must be "
            + "top-level, non-repeated columns of type DATE, BOOL, GEOGRAPHY, INT64, NUMERIC, BIGNUMERIC, STRING, "
            + "TIMESTAMP, DATETIME or RANGE.");
      }
    }
  }

  /** The clustering column types, as REST (legacy) type names (creating-clustered-tables#limitations). */
  private static final Set<String> CLUSTERING_TYPES = Set.of("DATE", "BOOLEAN", "GEOGRAPHY", "INTEGER", "NUMERIC",
      "BIGNUMERIC", "STRING", "TIMESTAMP", "DATETIME", "RANGE");

  private static final Pattern LABEL_KEY = Pattern.compile("[\\p{Ll}\\p{Lo}][\\p{Ll}\\p{Lo}\\p{N}_-]{0,62}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[\\p{Ll}\\p{Lo}\\p{N}_-]{0,63}");

  /**
   * Labels: keys and values at most 63 characters of lowercase letters, international characters, digits,
   * underscores and dashes; keys start with a lowercase letter or an international character; values may be empty
   * (https://cloud.google.com/bigquery/docs/labels-intro#requirements).
   */
  static void checkLabels(Map<String, String> labels) {
    for (Map.Entry<String, String> label : labels.entrySet()) {
      if (!LABEL_KEY.matcher(label.getKey()).matches()) {
        throw BigQueryError.invalid("Invalid label key \"" + label.getKey() + "\": keys must start with a lowercase "
            + "letter or international character and hold only lowercase letters, international characters, "
            + "digits, underscores and dashes, at most 63 characters.");
      }
      if (label.getValue() != null && !LABEL_VALUE.matcher(label.getValue()).matches()) {
        throw BigQueryError.invalid("Invalid label value \"" + label.getValue() + "\" for key \"" + label.getKey()
            + "\": values hold only lowercase letters, international characters, digits, underscores and dashes, "
            + "at most 63 characters.");
      }
    }
  }

  /** {@link #checkLabels(Map)} for a JSON {@code labels} object (a null value removes a label in a patch). */
  static void checkLabels(JsonNode labels) {
    Map<String, String> map = new LinkedHashMap<>();
    labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
    checkLabels(map);
  }

  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_-]{1,1024}");

  /**
   * Job IDs: letters, digits, underscores and dashes, at most 1024 characters
   * (https://cloud.google.com/bigquery/docs/reference/rest/v2/JobReference, jobId).
   */
  static void checkJobId(String id) {
    if (!JOB_ID.matcher(id).matches()) {
      throw BigQueryError.invalid("Invalid job ID \"" + id + "\". Job IDs must be alphanumeric (plus underscores "
          + "and dashes) and must be at most 1024 characters long.");
    }
  }

  private static final List<String> RESERVED_COLUMN_PREFIXES = List.of("_PARTITION", "_TABLE_", "_FILE_",
      "_ROW_TIMESTAMP", "__ROOT__", "_COLIDENTIFIER");

  /**
   * Column names: at most 300 characters, without a reserved prefix (case-insensitive)
   * (https://cloud.google.com/bigquery/docs/schemas#column_names).
   */
  static void checkColumnName(String name) {
    if (name.isEmpty() || name.length() > 300) {
      throw BigQueryError.invalid("Invalid field name \"" + name + "\". Fields must have a name of 1 to 300 "
          + "characters.");
    }
    String upper = name.toUpperCase(Locale.ROOT);
    for (String prefix : RESERVED_COLUMN_PREFIXES) {
      if (upper.startsWith(prefix)) {
        throw BigQueryError.invalid("Invalid field name \"" + name + "\". Field names cannot start with the "
            + "reserved prefix " + prefix + ".");
      }
    }
  }

  /**
   * Schema update options only with WRITE_APPEND, or with WRITE_TRUNCATE on a partition decorator
   * (https://cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobConfigurationLoad, schemaUpdateOptions).
   */
  static void checkSchemaUpdateOptions(List<String> updateOptions, String write, String partition) {
    if (!updateOptions.isEmpty() && !(write.equals("WRITE_APPEND")
        || (write.equals("WRITE_TRUNCATE") && partition != null))) {
      throw BigQueryError.invalid("Schema update options should only be specified with WRITE_APPEND disposition, "
          + "or with WRITE_TRUNCATE disposition on a table partition.");
    }
  }

  /**
   * The partition decorator must name a partition of the table's partitioning type
   * (https://cloud.google.com/bigquery/docs/managing-partitioned-table-data#partition_decorators).
   */
  static void checkDecorator(String table, String partition, JsonNode partitioning) {
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

  /**
   * DELETE and UPDATE need a WHERE clause
   * (https://cloud.google.com/bigquery/docs/reference/standard-sql/dml-syntax#delete_statement).
   */
  static void checkDmlHasWhere(String kind, Statement statement) {
    if ((kind.equals("DELETE") || kind.equals("UPDATE"))
        && statement.words().stream().noneMatch(t -> t.is("WHERE"))) {
      throw BigQueryError.invalidQuery(kind + " must have a WHERE clause");
    }
  }

  /**
   * No DDL on permanent tables, views or datasets inside a multi-statement transaction
   * (https://cloud.google.com/bigquery/docs/transactions).
   */
  static void checkNoDdlInTransaction(boolean inTransaction, String kind) {
    if (inTransaction && (kind.startsWith("CREATE") || kind.startsWith("DROP") || kind.startsWith("ALTER"))) {
      throw BigQueryError.invalidQuery(kind.replace('_', ' ') + " is not supported inside a transaction: DDL "
          + "statements on permanent entities (tables, views, datasets) are not allowed in a multi-statement "
          + "transaction");
    }
  }

  /**
   * ALTER TABLE ADD COLUMN adds NULLABLE columns only
   * (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-definition-language#alter_table_add_column_statement).
   */
  static void checkAddedColumnNullable(String name, String constraints) {
    if (constraints.contains("NOT NULL")) {
      throw BigQueryError.invalidQuery("Column " + name + " cannot be added as NOT NULL: new columns of an "
          + "existing table must be NULLABLE");
    }
  }
}
