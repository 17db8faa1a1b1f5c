package dev.segments.sink;

import com.google.cloud.bigquery.Clustering;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TimePartitioning;
import dev.segments.analysis.StableSegmentIds;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Everything one night does in BigQuery, computed before anything runs: the tables' definitions, the staging table
 * and connector options of each table's load, the view statements and the one transaction that publishes the
 * night. {@link BigQueryWarehouse#publish} executes exactly these, and {@code --dry-run} prints them.
 */
final class PublishPlan {
  static final String STAGING_PREFIX = "_staging_";
  /** Every output table with a segment id is clustered by it. */
  static final String CLUSTER_COLUMN = StableSegmentIds.SEGMENT_ID;
  static final long DAY_MILLIS = 86_400_000L;

  /**
   * One output table's part of the night.
   *
   * @param name the table's name in the dataset
   * @param rows tonight's rows
   * @param schema the BigQuery columns tonight's rows need (all NULLABLE), in the rows' column order
   * @param rowCount how many rows tonight's Dataset holds
   * @param staging the staging table the connector loads tonight's rows into; null when there are no rows
   * @param description the table's description (its columns' are in {@code schema})
   */
  record TableLoad(String name, Dataset<Row> rows, Schema schema, long rowCount, TableId target, TableId staging,
      String description) {
    boolean clustered() {
      return schema.getFields().stream().anyMatch(f -> f.getName().equals(CLUSTER_COLUMN));
    }

    /**
     * The definition a missing table is created with: partitioned by run_date (DAY), each partition expiring after
     * {@code partitionExpirationDays} (null: never), clustered by segment.
     */
    StandardTableDefinition definition(Integer partitionExpirationDays) {
      TimePartitioning.Builder partitioning = TimePartitioning.newBuilder(TimePartitioning.Type.DAY)
          .setField(OutputTable.RUN_DATE);
      if (partitionExpirationDays != null) {
        partitioning.setExpirationMs(partitionExpirationDays * DAY_MILLIS);
      }
      StandardTableDefinition.Builder definition = StandardTableDefinition.newBuilder().setSchema(schema)
          .setTimePartitioning(partitioning.build());
      if (clustered()) {
        definition.setClustering(Clustering.newBuilder().setFields(List.of(CLUSTER_COLUMN)).build());
      }
      return definition.build();
    }

    String columnList() {
      return schema.getFields().stream().map(f -> "`" + f.getName() + "`").collect(Collectors.joining(", "));
    }
  }

  private final BigQueryConfig config;
  private final String runId;
  private final LocalDate runDate;
  private final List<TableLoad> tables;
  private final ViewCatalog views;

  private PublishPlan(BigQueryConfig config, String runId, LocalDate runDate, List<TableLoad> tables,
      ViewCatalog views) {
    this.config = config;
    this.runId = runId;
    this.runDate = runDate;
    this.tables = List.copyOf(tables);
    this.views = views;
  }

  /**
   * @param stagingTag distinguishes this attempt's staging tables from those of an attempt that died (a retried
   *     batch keeps its run id)
   */
  static PublishPlan of(BigQueryConfig config, RunOutputs outputs, ViewCatalog views, String stagingTag) {
    ColumnDescriptions descriptions = ColumnDescriptions.load(views);
    List<TableLoad> tables = new ArrayList<>();
    for (Map.Entry<String, Dataset<Row>> table : outputs.tables().entrySet()) {
      Dataset<Row> rows = table.getValue();
      String name = table.getKey();
      long rowCount = rows.count();
      TableId staging = rowCount == 0 ? null
          : TableId.of(config.project(), config.dataset(), STAGING_PREFIX + name + "_" + stagingTag);
      Schema schema = BigQuerySchemas.of(rows.schema());
      tables.add(new TableLoad(name, rows, BigQuerySchemas.withDescriptions(schema,
          descriptions.columns(name, BigQuerySchemas.names(schema), Map.of())), rowCount,
          TableId.of(config.project(), config.dataset(), name), staging, descriptions.table(name)));
    }
    return new PublishPlan(config, outputs.runId(), outputs.runDate(), tables, views);
  }

  List<TableLoad> tables() {
    return tables;
  }

  /** The view statements with tonight's run date as the latest night: what {@code --dry-run} prints. */
  List<String> viewStatements() {
    return viewStatements(runDate);
  }

  /**
   * The statements that create or replace every view, each latest-night filter the constant {@code latestRunDate}
   * (see {@link ViewCatalog}: BigQuery prunes partitions only for constant filters).
   */
  List<String> viewStatements(LocalDate latestRunDate) {
    return views.views().stream()
        .map(view -> "CREATE OR REPLACE VIEW " + config.sqlReference(view.name())
            + " OPTIONS (description = " + stringLiteral(view.description()) + ") AS\n"
            + ViewCatalog.render(view, SqlDialect.BIGQUERY, config::sqlReference, latestRunDate))
        .toList();
  }

  /**
   * The latest run date published, read after the commit from {@code model_runs} (one row per run, so the query
   * reads next to nothing): tonight's date, or a later one when an older date was run again.
   */
  String latestRunDateQuery() {
    return "SELECT MAX(" + OutputTable.RUN_DATE + ") AS latest FROM " + config.sqlReference(
        OutputTable.MODEL_RUNS.tableName());
  }

  /**
   * The one multi-statement transaction that publishes the night: for every table, the run date's rows are deleted
   * and the staged rows inserted (a table without rows tonight only loses the date's old rows). BigQuery commits all
   * of it or none of it.
   */
  String transactionScript() {
    StringBuilder script = new StringBuilder("BEGIN TRANSACTION;\n");
    String date = "DATE '" + runDate + "'";
    for (TableLoad table : tables) {
      String target = "`" + config.tableId(table.name()) + "`";
      script.append("DELETE FROM ").append(target).append(" WHERE ").append(OutputTable.RUN_DATE).append(" = ")
          .append(date).append(";\n");
      if (table.staging() != null) {
        script.append("INSERT INTO ").append(target).append(" (").append(table.columnList()).append(")\n  SELECT ")
            .append(table.columnList()).append(" FROM ").append(stagingReference(table)).append(";\n");
      }
    }
    return script.append("COMMIT TRANSACTION;").toString();
  }

  /**
   * One query counting the rows of every staging table, in table order (columns {@code table_name}, {@code row_count}),
   * run before the transaction: the connector retries a refused load job under a new job id, so a load whose
   * answer was lost could have appended twice. Null when nothing is staged.
   */
  String stagedRowsQuery() {
    List<String> counts = tables.stream().filter(t -> t.staging() != null)
        .map(t -> "SELECT '" + t.name() + "' AS table_name, COUNT(*) AS row_count FROM " + stagingReference(t))
        .toList();
    return counts.isEmpty() ? null : String.join("\nUNION ALL ", counts);
  }

  private String stagingReference(TableLoad table) {
    return "`" + config.project() + "." + config.dataset() + "." + table.staging().getTable() + "`";
  }

  /** Labels on every job of the night: the configured ones and the run id. */
  Map<String, String> jobLabels() {
    Map<String, String> labels = new LinkedHashMap<>(config.labels());
    String value = runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
    labels.put(BigQueryWarehouse.RUN_ID_LABEL, value.length() > 63 ? value.substring(0, 63) : value);
    return labels;
  }

  /**
   * The connector options that load a table's rows into its staging table: the indirect method (Parquet files in
   * the bucket, then one load job with WRITE_APPEND into the empty staging table we created, CREATE_NEVER), with no
   * partitioning, clustering or schema update options, which belong to the tables we create ourselves.
   */
  Map<String, String> connectorOptions(TableLoad table) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("table", config.project() + "." + config.dataset() + "." + table.staging().getTable());
    options.put("parentProject", config.project());
    options.put("writeMethod", BigQueryConfig.INDIRECT);
    options.put("temporaryGcsBucket", config.temporaryGcsBucket());
    options.put("intermediateFormat", "parquet");
    options.put("createDisposition", "CREATE_NEVER");
    jobLabels().forEach((key, value) -> options.put("bigQueryJobLabel." + key, value));
    return options;
  }

  /** The plan as text: what {@code --dry-run} prints, statement for statement. */
  String describe(String staging) {
    StringBuilder plan = new StringBuilder();
    plan.append("BigQuery plan for run ").append(runId).append(" (run date ").append(runDate).append(") in dataset ")
        .append(config.project()).append('.').append(config.dataset()).append(", location ")
        .append(config.location()).append("\n\n1. dataset ").append(config.project()).append('.')
        .append(config.dataset()).append(": created in ").append(config.location())
        .append(config.labels().isEmpty() ? "" : " with labels " + config.labels())
        .append(" when missing; an existing dataset in another location stops the run\n");
    plan.append("\n2. tables: each created when missing, partitioned by run_date (DAY)").append(
        config.partitionExpirationDays() == null ? ", partitions kept forever"
            : ", partitions expiring after " + config.partitionExpirationDays() + " days (set on existing tables too)")
        .append("; an existing one gets tonight's new columns (NULLABLE) and must already have tonight's column "
            + "types\n");
    for (TableLoad table : tables) {
      plan.append("   ").append(config.tableId(table.name())).append(table.clustered() ? " clustered by "
          + CLUSTER_COLUMN : "").append(": ").append(table.schema().getFields().stream()
          .map(f -> f.getName() + " " + f.getType().getStandardType()).collect(Collectors.joining(", ")))
          .append('\n');
    }
    plan.append("\n3. staging (").append(staging).append("), each table expiring after ")
        .append(config.stagingExpiration()).append(":\n");
    for (TableLoad table : tables) {
      if (table.staging() == null) {
        plan.append("   ").append(table.name()).append(": no rows tonight, nothing staged\n");
      } else {
        plan.append("   ").append(table.name()).append(" (").append(table.rowCount()).append(" rows) -> ")
            .append(stagingReference(table)).append(" connector options ").append(connectorOptions(table))
            .append('\n');
      }
    }
    if (stagedRowsQuery() != null) {
      plan.append("\n4. check that each staging table holds exactly tonight's rows:\n").append(stagedRowsQuery())
          .append(";\n");
    }
    plan.append("\n5. publish, one transaction (run again after a concurrent update aborted it, up to ")
        .append(config.publishRetry().maxAttempts()).append(" attempts):\n").append(transactionScript()).append('\n');
    plan.append("\n6. views, each given its column descriptions after (tables.patch of the schema BigQuery inferred), each latest-night filter the latest run date published (").append(latestRunDateQuery())
        .append("; tonight's date below):\n");
    viewStatements().forEach(statement -> plan.append(statement).append(";\n\n"));
    plan.append("7. staging tables dropped\n");
    return plan.toString();
  }

  private static String stringLiteral(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", " ") + "'";
  }
}
