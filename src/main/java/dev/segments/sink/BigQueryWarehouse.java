package dev.segments.sink;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes to BigQuery: each table through the Spark BigQuery connector into a table partitioned by day on
 * {@code run_date} (clustered by {@code segment_id} where it has one), replacing only the run date's partition;
 * then the views, created or replaced with DDL.
 *
 * <p>Replacing a partition uses the connector's dynamic partition overwrite (overwrite mode with
 * {@code spark.sql.sources.partitionOverwriteMode=DYNAMIC}, supported by connector 0.42.1 for both write methods):
 * the rows are staged (a temporary table for direct writes, files in the bucket for indirect ones) and one BigQuery
 * job per table swaps them in, so a failed write leaves that table's partition as it was. BigQuery cannot replace
 * partitions of several tables in one job: if a later table fails, earlier tables already hold the new rows for the
 * date. {@code model_runs} is therefore written last and marks a complete run; rerunning the date repairs the rest.
 */
public final class BigQueryWarehouse implements Warehouse {
  static final String RUN_ID_LABEL = "run_id";
  static final String FORMAT = "bigquery";
  private static final String CLUSTER_COLUMN = "segment_id";
  private static final Logger LOG = LoggerFactory.getLogger(BigQueryWarehouse.class);

  private final BigQueryConfig config;
  private final Supplier<BigQueryDdlClient> ddl;
  private final ViewCatalog views = ViewCatalog.load();

  /** A warehouse that runs DDL with the application default credentials, looked up when it publishes. */
  public BigQueryWarehouse(BigQueryConfig config) {
    this(config, BigQueryDdlClient::withApplicationDefaultCredentials);
  }

  public BigQueryWarehouse(BigQueryConfig config, BigQueryDdlClient ddl) {
    this(config, () -> ddl);
  }

  private BigQueryWarehouse(BigQueryConfig config, Supplier<BigQueryDdlClient> ddl) {
    this.config = config;
    this.ddl = ddl;
  }

  @Override
  public void publish(RunOutputs outputs) {
    BigQueryDdlClient client = ddl.get();
    Map<String, String> jobLabels = jobLabels(outputs.runId());
    client.execute(config.project(), config.location(), createDatasetStatement(), jobLabels);
    for (Map.Entry<String, Dataset<Row>> table : inWriteOrder(outputs.tables()).entrySet()) {
      LOG.info("Writing {} for {} to BigQuery {}", table.getKey(), outputs.runDate(), config.tableId(table.getKey()));
      DataFrameWriter<Row> writer = table.getValue().write().format(FORMAT).mode(SaveMode.Overwrite);
      writerOptions(table.getKey(), table.getValue().schema(), outputs.runId()).forEach(writer::option);
      writer.save();
    }
    for (String statement : createViewStatements()) {
      client.execute(config.project(), config.location(), statement, jobLabels);
    }
    if (!outputs.files().isEmpty()) {
      LOG.info("BigQuery holds tables only; the run's files {} are not published there", outputs.files().keySet());
    }
  }

  /**
   * Reads through the connector, with the run-date filter pushed down to BigQuery. A table that does not exist yet
   * (the first run) means there is no previous run.
   */
  @Override
  public Optional<Dataset<Row>> latestBefore(String table, LocalDate runDate) {
    Dataset<Row> earlier;
    Row latest;
    try {
      earlier = SparkSession.active().read().format("bigquery")
          .option("table", config.tableId(table))
          .option("parentProject", config.project())
          .load()
          .where(col(OutputTable.RUN_DATE).lt(lit(java.sql.Date.valueOf(runDate))));
      latest = earlier.agg(max(col(OutputTable.RUN_DATE))).first();
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("Not found")) {
        LOG.info("no earlier {} in BigQuery ({}): this is the first run", table, config.tableId(table));
        return Optional.empty();
      }
      throw e;
    }
    return latest.isNullAt(0)
        ? Optional.empty()
        : Optional.of(earlier.where(col(OutputTable.RUN_DATE).equalTo(lit(latest.getDate(0)))));
  }

  @Override
  public String describe() {
    return "BigQuery dataset " + config.project() + "." + config.dataset() + " (" + config.writeMethod() + " write)";
  }

  /** The connector options that write {@code table} with this schema for the run. */
  Map<String, String> writerOptions(String table, StructType schema, String runId) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("table", config.tableId(table));
    options.put("parentProject", config.project());
    options.put("writeMethod", config.writeMethod());
    if (config.writeMethod().equals(BigQueryConfig.INDIRECT)) {
      options.put("temporaryGcsBucket", config.temporaryGcsBucket());
      // New feature columns become new nullable columns instead of failing the load job.
      options.put("allowFieldAddition", "true");
    }
    options.put("createDisposition", "CREATE_IF_NEEDED");
    options.put("partitionField", OutputTable.RUN_DATE);
    options.put("partitionType", "DAY");
    if (List.of(schema.fieldNames()).contains(CLUSTER_COLUMN)) {
      options.put("clusteredFields", CLUSTER_COLUMN);
    }
    options.put("spark.sql.sources.partitionOverwriteMode", "DYNAMIC");
    jobLabels(runId).forEach((key, value) -> options.put("bigQueryJobLabel." + key, value));
    return options;
  }

  String createDatasetStatement() {
    List<String> options = new ArrayList<>();
    if (config.location() != null) {
      options.add("location = " + stringLiteral(config.location()));
    }
    if (!config.labels().isEmpty()) {
      options.add("labels = [" + config.labels().entrySet().stream()
          .map(l -> "(" + stringLiteral(l.getKey()) + ", " + stringLiteral(l.getValue()) + ")")
          .collect(Collectors.joining(", ")) + "]");
    }
    return "CREATE SCHEMA IF NOT EXISTS `" + config.project() + "." + config.dataset() + "`"
        + (options.isEmpty() ? "" : " OPTIONS (" + String.join(", ", options) + ")");
  }

  /** One {@code CREATE OR REPLACE VIEW} per view, in creation order. */
  List<String> createViewStatements() {
    return views.views().stream()
        .map(view -> "CREATE OR REPLACE VIEW " + config.sqlReference(view.name())
            + " OPTIONS (description = " + stringLiteral(view.description()) + ") AS\n"
            + ViewCatalog.render(view, SqlDialect.BIGQUERY, config::sqlReference))
        .toList();
  }

  /** What {@link #publish} would do, without credentials or network: for {@code --dry-run}. */
  @Override
  public String describePlan(RunOutputs outputs) {
    StringBuilder plan = new StringBuilder();
    plan.append("BigQuery plan for run ").append(outputs.runId()).append(" (run date ").append(outputs.runDate())
        .append("), ").append(describe()).append(config.location() == null ? "" : " in " + config.location())
        .append("\n\n").append(createDatasetStatement()).append(";\n");
    for (Map.Entry<String, Dataset<Row>> table : inWriteOrder(outputs.tables()).entrySet()) {
      StructType schema = table.getValue().schema();
      Map<String, String> options = writerOptions(table.getKey(), schema, outputs.runId());
      plan.append("\ntable ").append(options.get("table")).append(": replaces partition ")
          .append(outputs.runDate()).append(", partitioned by run_date (DAY)")
          .append(options.containsKey("clusteredFields") ? ", clustered by " + options.get("clusteredFields") : "")
          .append(", ").append(config.writeMethod()).append(" write\n");
      for (StructField field : schema.fields()) {
        plan.append("  ").append(field.name()).append(' ').append(bigQueryType(field.dataType()))
            .append(field.nullable() ? "" : " NOT NULL").append('\n');
      }
    }
    for (String statement : createViewStatements()) {
      plan.append('\n').append(statement).append(";\n");
    }
    return plan.toString();
  }

  private Map<String, String> jobLabels(String runId) {
    Map<String, String> labels = new LinkedHashMap<>(config.labels());
    String value = runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
    labels.put(RUN_ID_LABEL, value.length() > 63 ? value.substring(0, 63) : value);
    return labels;
  }

  private static Map<String, Dataset<Row>> inWriteOrder(Map<String, Dataset<Row>> tables) {
    Map<String, Dataset<Row>> ordered = new LinkedHashMap<>(tables);
    String marker = OutputTable.MODEL_RUNS.tableName();
    if (ordered.containsKey(marker)) {
      ordered.put(marker, ordered.remove(marker));
    }
    return ordered;
  }

  private static String bigQueryType(DataType type) {
    if (type.equals(DataTypes.StringType)) {
      return "STRING";
    } else if (type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType)
        || type.equals(DataTypes.ShortType) || type.equals(DataTypes.ByteType)) {
      return "INT64";
    } else if (type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType)) {
      return "FLOAT64";
    } else if (type.equals(DataTypes.BooleanType)) {
      return "BOOL";
    } else if (type.equals(DataTypes.DateType)) {
      return "DATE";
    } else if (type.equals(DataTypes.TimestampType)) {
      return "TIMESTAMP";
    }
    return type.simpleString().toUpperCase(Locale.ROOT);
  }

  private static String stringLiteral(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", " ") + "'";
  }
}
