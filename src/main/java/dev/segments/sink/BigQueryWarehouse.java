package dev.segments.sink;

import com.google.api.core.CurrentMillisClock;
import com.google.api.gax.retrying.BasicResultRetryAlgorithm;
import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.RetryHelper;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableDefinition;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.TableResult;
import com.google.cloud.bigquery.TimePartitioning;
import com.google.cloud.bigquery.ViewDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a night to BigQuery all or nothing, across every table (see {@link PublishPlan} for the statements):
 * <ol>
 *   <li>the dataset is created in the configured location, or checked to be there;</li>
 *   <li>each table is created when missing (partitioned by {@code run_date} DAY, each partition expiring after
 *       {@code bigquery.partition_expiration_days} when set, clustered by {@code segment_id} where it has one), or
 *       given tonight's new columns as NULLABLE and the configured partition expiration: never by a load job's side
 *       effect;</li>
 *   <li>each table's rows are loaded by the Spark BigQuery connector (indirect: Parquet in the bucket, then a load
 *       job with WRITE_APPEND) into an empty staging table created for it with an expiration;</li>
 *   <li>a query checks that each staging table holds exactly tonight's rows;</li>
 *   <li>one multi-statement transaction deletes the run date's rows from every table and inserts the staged rows;
 *       when BigQuery aborts it for a concurrent update of one of the tables, it runs again as {@link PublishRetry}
 *       says (it is idempotent for the date);</li>
 *   <li>the views are created or replaced, their latest-night filters the latest run date now published as a
 *       constant, so that BigQuery prunes the other nights' partitions (see {@link ViewCatalog});</li>
 *   <li>the staging tables are dropped (they expire on their own if the process dies first).</li>
 * </ol>
 * Nothing before step 5 changes any table's rows, and BigQuery commits step 5 entirely or not at all: a failure at
 * any step leaves every table's rows as they were, and a rerun of the date replaces that date and nothing else. The
 * views change only after the commit: until then they show the previous night, whole.
 */
public final class BigQueryWarehouse implements Warehouse {
  static final String RUN_ID_LABEL = "run_id";
  static final String FORMAT = "bigquery";
  /** What requests to a stand-in endpoint carry instead of credentials. */
  static final String PLACEHOLDER_TOKEN = "loopback-placeholder-token";
  private static final Logger LOG = LoggerFactory.getLogger(BigQueryWarehouse.class);

  /** The steps of a publish, in order; a test can stop a publish before any of them. */
  enum Step { DATASET, TABLES, STAGING, CHECK, COMMIT, VIEWS, CLEANUP }

  /** Called before each step; the production hook does nothing. */
  @FunctionalInterface
  interface StepHook {
    void before(Step step);
  }

  private final BigQueryConfig config;
  private final Supplier<BigQuery> client;
  private final StepHook hook;
  private final Clock clock;
  private final Supplier<String> stagingTags;
  private final ViewCatalog views = ViewCatalog.load();
  private final ColumnDescriptions descriptions = ColumnDescriptions.load(views);

  /** A warehouse that reaches BigQuery (or the configured test endpoint) with the application default credentials. */
  public BigQueryWarehouse(BigQueryConfig config) {
    this(config, () -> client(config, defaultRetries()), step -> { }, Clock.systemUTC(),
        BigQueryWarehouse::randomStagingTag);
  }

  /**
   * @param clock the time staging tables expire from
   * @param stagingTags a new tag per publish attempt, naming its staging tables
   */
  BigQueryWarehouse(BigQueryConfig config, Supplier<BigQuery> client, StepHook hook, Clock clock,
      Supplier<String> stagingTags) {
    this.config = config;
    this.client = client;
    this.hook = hook;
    this.clock = clock;
    this.stagingTags = stagingTags;
  }

  /** Finds the credentials (application default ones; none needed by a test endpoint), contacting no table. */
  @Override
  public void checkReadable() {
    client.get();
  }

  /**
   * The official client for the configured project and location. Retries (429, 5xx, BigQuery's retryable reasons,
   * broken connections) follow {@code retries}; credentials are the application default ones (gcloud login, the
   * batch's service account, Workload Identity Federation), except for a test endpoint, which gets a placeholder.
   */
  static BigQuery client(BigQueryConfig config, RetrySettings retries) {
    BigQueryOptions.Builder options = BigQueryOptions.newBuilder().setProjectId(config.project())
        .setLocation(config.location()).setRetrySettings(retries);
    if (config.endpoint() != null) {
      options.setHost(config.endpoint()).setCredentials(GoogleCredentials.create(new AccessToken(PLACEHOLDER_TOKEN,
          null)));
    } else {
      try {
        options.setCredentials(GoogleCredentials.getApplicationDefault());
      } catch (IOException e) {
        throw new UncheckedIOException("no Google application default credentials for BigQuery: run "
            + "`gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS", e);
      }
    }
    return options.build().getService();
  }

  /** Up to 8 attempts over at most 5 minutes, waiting 1 s, 2 s, 4 s ... up to 32 s between them. */
  static RetrySettings defaultRetries() {
    return RetrySettings.newBuilder().setMaxAttempts(8)
        .setInitialRetryDelayDuration(Duration.ofSeconds(1)).setRetryDelayMultiplier(2.0)
        .setMaxRetryDelayDuration(Duration.ofSeconds(32)).setTotalTimeoutDuration(Duration.ofMinutes(5))
        .setInitialRpcTimeoutDuration(Duration.ofMinutes(2)).setRpcTimeoutMultiplier(1.0)
        .setMaxRpcTimeoutDuration(Duration.ofMinutes(2)).build();
  }

  @Override
  public void publish(RunOutputs outputs) {
    PublishPlan plan = PublishPlan.of(config, outputs, views, stagingTags.get());
    BigQuery bigQuery = client.get();
    hook.before(Step.DATASET);
    ensureDataset(bigQuery);
    hook.before(Step.TABLES);
    for (PublishPlan.TableLoad table : plan.tables()) {
      ensureTable(bigQuery, table);
    }
    List<TableId> staged = new ArrayList<>();
    try {
      hook.before(Step.STAGING);
      for (PublishPlan.TableLoad table : plan.tables()) {
        if (table.staging() != null) {
          stage(bigQuery, plan, table, staged);
        }
      }
      hook.before(Step.CHECK);
      checkStagedRows(bigQuery, plan);
      hook.before(Step.COMMIT);
      LOG.info("publishing run date {} to {} tables in one transaction", outputs.runDate(), plan.tables().size());
      publishTransaction(bigQuery, plan);
      LOG.info("run date {} published to BigQuery {}.{}", outputs.runDate(), config.project(), config.dataset());
      hook.before(Step.VIEWS);
      LocalDate latest = latestRunDate(bigQuery, plan, outputs.runDate());
      Map<String, List<String>> columnsOf = new LinkedHashMap<>();
      plan.tables().forEach(table -> columnsOf.put(table.name(), BigQuerySchemas.names(table.schema())));
      List<String> statements = plan.viewStatements(latest);
      for (int v = 0; v < statements.size(); v++) {
        run(bigQuery, statements.get(v), plan.jobLabels());
        describeView(bigQuery, views.views().get(v).name(), columnsOf);
      }
    } finally {
      dropStaging(bigQuery, staged);
    }
    if (!outputs.files().isEmpty()) {
      LOG.info("BigQuery holds tables only; the run's files {} are not published there", outputs.files().keySet());
    }
  }

  /**
   * The previous nights' rows, read with a query through the client (small: one row per segment or per night). A
   * table that does not exist yet (the first night) means there is no previous run.
   */
  @Override
  public Optional<Dataset<Row>> recentBefore(String table, LocalDate runDate, int nights) {
    String reference = config.sqlReference(table);
    String sql = "SELECT * FROM " + reference + " WHERE " + OutputTable.RUN_DATE + " IN (SELECT DISTINCT "
        + OutputTable.RUN_DATE + " FROM " + reference + " WHERE " + OutputTable.RUN_DATE + " < DATE '" + runDate
        + "' ORDER BY " + OutputTable.RUN_DATE + " DESC LIMIT " + nights + ")";
    Optional<TableResult> result = queryTable(table, sql);
    if (result.isEmpty()) {
      return Optional.empty();
    }
    Schema schema = result.get().getSchema();
    List<Row> rows = new ArrayList<>();
    for (FieldValueList values : result.get().iterateAll()) {
      rows.add(BigQuerySchemas.row(schema, values));
    }
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(SparkSession.active().createDataFrame(rows, BigQuerySchemas.sparkSchema(schema)));
  }

  @Override
  public List<Map<String, Object>> publishedRows(String table, LocalDate runDate) {
    Optional<TableResult> result = queryTable(table, "SELECT * FROM " + config.sqlReference(table) + " WHERE "
        + OutputTable.RUN_DATE + " = DATE '" + runDate + "'");
    List<Map<String, Object>> rows = new ArrayList<>();
    if (result.isPresent()) {
      Schema schema = result.get().getSchema();
      for (FieldValueList values : result.get().iterateAll()) {
        Row row = BigQuerySchemas.row(schema, values);
        Map<String, Object> named = new LinkedHashMap<>();
        for (int i = 0; i < schema.getFields().size(); i++) {
          named.put(schema.getFields().get(i).getName(), row.get(i));
        }
        rows.add(named);
      }
    }
    return rows;
  }

  /** The answer to a query of one output table; empty when the table does not exist (yet). */
  private Optional<TableResult> queryTable(String table, String sql) {
    BigQuery bigQuery = client.get();
    if (bigQuery.getTable(TableId.of(config.project(), config.dataset(), table)) == null) {
      LOG.info("no {} in BigQuery yet ({}): this is the first run", table, config.tableId(table));
      return Optional.empty();
    }
    try {
      return Optional.of(query(bigQuery, sql, Map.of()));
    } catch (BigQueryException e) {
      if (e.getCode() == 404) {
        LOG.info("{} disappeared from BigQuery while being read: treated as no previous run", config.tableId(table));
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public String describe() {
    return "BigQuery dataset " + config.project() + "." + config.dataset() + " in " + config.location();
  }

  /** What {@link #publish} would do, statement for statement, without credentials or network: for {@code --dry-run}. */
  @Override
  public String describePlan(RunOutputs outputs) {
    return PublishPlan.of(config, outputs, views, "<tag>").describe(
        "gs://" + config.temporaryGcsBucket() + ", <tag> a new random tag per attempt");
  }

  /** The dataset, created in {@code bigquery.location} when missing; refuses one in another location. */
  void ensureDataset(BigQuery bigQuery) {
    DatasetId id = DatasetId.of(config.project(), config.dataset());
    com.google.cloud.bigquery.Dataset dataset = bigQuery.getDataset(id);
    if (dataset == null) {
      try {
        dataset = bigQuery.create(DatasetInfo.newBuilder(id).setLocation(config.location())
            .setLabels(config.labels()).build());
        LOG.info("created dataset {}.{} in {}", config.project(), config.dataset(), dataset.getLocation());
      } catch (BigQueryException e) {
        if (e.getCode() == 403) {
          throw datasetCreationRefused(e);
        }
        if (e.getCode() != 409) {
          throw e;
        }
        dataset = bigQuery.getDataset(id);
      }
    }
    if (!config.location().equalsIgnoreCase(dataset.getLocation())) {
      throw new IllegalStateException("BigQuery dataset " + config.project() + "." + config.dataset() + " is in "
          + dataset.getLocation() + ", but bigquery.location is " + config.location() + ": nothing was written. "
          + "Set bigquery.location to where the data may live, or use another dataset.");
    }
  }

  /**
   * The batch's service account holds no {@code bigquery.datasets.create} (scripts/gcp-setup.sh grants it
   * dataEditor on the dataset only, which can be granted once the dataset exists): the set-up creates the dataset.
   */
  private IllegalStateException datasetCreationRefused(BigQueryException e) {
    return new IllegalStateException("BigQuery dataset " + config.project() + "." + config.dataset() + " does not "
        + "exist, and this account may not create it (HTTP 403 " + Objects.toString(e.getReason(), "") + ": "
        + e.getMessage() + "): nothing was written. Create it in " + config.location() + " with scripts/gcp-setup.sh "
        + "(README, \"Deploy\"), which also grants the batch's account roles/bigquery.dataEditor on it, or with `bq "
        + "--project_id=" + config.project() + " mk --dataset --location=" + config.location() + " "
        + config.project() + ":" + config.dataset() + "`.", e);
  }

  /**
   * Gives a view's columns their descriptions: BigQuery infers a view's schema from its query, without descriptions
   * (and a CREATE OR REPLACE drops earlier ones), and a view's schema may then be patched with descriptions. See
   * https://cloud.google.com/bigquery/docs/reference/rest/v2/tables#Table (schema) and
   * https://github.com/hashicorp/terraform-provider-google/pull/9101, which sets them the same way, after creating.
   */
  private void describeView(BigQuery bigQuery, String name, Map<String, List<String>> columnsOf) {
    Table view = bigQuery.getTable(TableId.of(config.project(), config.dataset(), name));
    ViewDefinition definition = view.getDefinition();
    List<String> columns = BigQuerySchemas.names(definition.getSchema());
    columnsOf.put(name, columns);
    Schema described = BigQuerySchemas.withDescriptions(definition.getSchema(),
        descriptions.columns(name, columns, columnsOf));
    bigQuery.update(view.toBuilder().setDefinition(definition.toBuilder().setSchema(described).build()).build());
  }

  /**
   * Creates a missing table, or adds tonight's new columns to an existing one and brings its table and column
   * descriptions to tonight's; refuses a changed type.
   */
  private void ensureTable(BigQuery bigQuery, PublishPlan.TableLoad load) {
    Table table = bigQuery.getTable(load.target());
    if (table == null) {
      try {
        bigQuery.create(TableInfo.newBuilder(load.target(), load.definition(config.partitionExpirationDays()))
            .setDescription(load.description())
            .build());
        LOG.info("created table {}", config.tableId(load.name()));
        return;
      } catch (BigQueryException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        table = bigQuery.getTable(load.target());
      }
    }
    TableDefinition definition = table.getDefinition();
    if (!(definition instanceof StandardTableDefinition standard)) {
      throw new IllegalStateException(config.tableId(load.name()) + " is a " + definition.getType()
          + ", not a table: nothing was written");
    }
    TimePartitioning partitioning = standard.getTimePartitioning();
    if (partitioning == null || partitioning.getType() != TimePartitioning.Type.DAY
        || !OutputTable.RUN_DATE.equals(partitioning.getField())) {
      throw new IllegalStateException(config.tableId(load.name()) + " is not partitioned by run_date (DAY) as the "
          + "sink creates it (" + partitioning + "): nothing was written. Drop or rename it and run again.");
    }
    Map<String, Field> tonight = new LinkedHashMap<>();
    load.schema().getFields().forEach(f -> tonight.put(f.getName(), f));
    List<Field> fields = new ArrayList<>();
    for (Field current : standard.getSchema().getFields()) {
      Field field = tonight.remove(current.getName());
      if (field != null && current.getType().getStandardType() != field.getType().getStandardType()) {
        throw new IllegalStateException("column " + field.getName() + " of " + config.tableId(load.name()) + " is "
            + current.getType().getStandardType() + " in BigQuery but " + field.getType().getStandardType()
            + " tonight: nothing was written");
      }
      fields.add(field == null ? current : current.toBuilder().setDescription(field.getDescription()).build());
    }
    List<Field> added = new ArrayList<>(tonight.values());
    fields.addAll(added);
    if (!fields.equals(standard.getSchema().getFields()) || !load.description().equals(table.getDescription())) {
      bigQuery.update(table.toBuilder().setDescription(load.description())
          .setDefinition(standard.toBuilder().setSchema(Schema.of(fields)).build()).build());
      if (!added.isEmpty()) {
        LOG.info("added columns {} to {}", added.stream().map(Field::getName).toList(), config.tableId(load.name()));
      }
    }
    // After the schema update, which writes the definition read above back: the expiration is set on top of it.
    Integer days = config.partitionExpirationDays();
    if (days != null && !Long.valueOf(days * PublishPlan.DAY_MILLIS).equals(partitioning.getExpirationMs())) {
      // https://cloud.google.com/bigquery/docs/managing-partitioned-tables#partition-expiration
      run(bigQuery, "ALTER TABLE " + config.sqlReference(load.name()) + " SET OPTIONS (partition_expiration_days = "
          + days + ")", Map.of());
      LOG.info("{}: partitions now expire after {} days", config.tableId(load.name()), days);
    }
  }

  private void stage(BigQuery bigQuery, PublishPlan plan, PublishPlan.TableLoad table, List<TableId> staged) {
    long expires = clock.millis() + config.stagingExpiration().toMillis();
    bigQuery.create(TableInfo.newBuilder(table.staging(), StandardTableDefinition.of(table.schema()))
        .setExpirationTime(expires).setLabels(plan.jobLabels()).build());
    staged.add(table.staging());
    LOG.info("loading {} into staging table {}", table.name(), table.staging().getTable());
    DataFrameWriter<Row> writer = table.rows().write().format(FORMAT).mode(SaveMode.Append);
    plan.connectorOptions(table).forEach(writer::option);
    if (config.endpoint() != null) {
      writer.option("bigQueryHttpEndpoint", config.endpoint()).option("gcpAccessToken", PLACEHOLDER_TOKEN);
    }
    try {
      writer.save();
    } catch (RuntimeException e) {
      throw new IllegalStateException("loading " + table.name() + " into staging table " + table.staging().getTable()
          + " through gs://" + config.temporaryGcsBucket() + " failed, so nothing was published (the bucket must be "
          + "in " + config.location() + ", like the dataset): " + rootMessage(e), e);
    }
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  /** The latest run date published (tonight's, or a later one when an older date was run again). */
  private LocalDate latestRunDate(BigQuery bigQuery, PublishPlan plan, LocalDate runDate) {
    FieldValueList row = query(bigQuery, plan.latestRunDateQuery(), plan.jobLabels()).iterateAll().iterator().next();
    LocalDate latest = row.get("latest").isNull() ? runDate : LocalDate.parse(row.get("latest").getStringValue());
    return latest.isAfter(runDate) ? latest : runDate;
  }

  /** Stops the publish before the transaction when a staging table does not hold exactly tonight's rows. */
  private void checkStagedRows(BigQuery bigQuery, PublishPlan plan) {
    String query = plan.stagedRowsQuery();
    if (query == null) {
      return;
    }
    Map<String, Long> staged = new LinkedHashMap<>();
    for (FieldValueList row : query(bigQuery, query, plan.jobLabels()).iterateAll()) {
      staged.put(row.get("table_name").getStringValue(), row.get("row_count").getLongValue());
    }
    for (PublishPlan.TableLoad table : plan.tables()) {
      if (table.staging() != null && staged.getOrDefault(table.name(), -1L) != table.rowCount()) {
        throw new IllegalStateException("staging table " + table.staging().getTable() + " holds "
            + staged.get(table.name()) + " rows, but tonight's " + table.name() + " has " + table.rowCount()
            + ": nothing was published (a load may have run twice); run the date again");
      }
    }
  }

  /**
   * Runs the publishing transaction, again after BigQuery aborted it for a concurrent update of one of its tables
   * (and only then), with {@code bigquery.publish_retry}'s bounded exponential backoff with jitter.
   */
  private void publishTransaction(BigQuery bigQuery, PublishPlan plan) {
    PublishRetry retry = config.publishRetry();
    AtomicInteger attempt = new AtomicInteger();
    try {
      RetryHelper.runWithRetries(() -> {
        if (attempt.incrementAndGet() > 1) {
          LOG.warn("the publishing transaction was aborted by a concurrent update; attempt {} of {}", attempt.get(),
              retry.maxAttempts());
        }
        return query(bigQuery, plan.transactionScript(), plan.jobLabels());
      }, retry.settings(), new BasicResultRetryAlgorithm<>() {
        @Override
        public boolean shouldRetry(Throwable previous, Object response) {
          return isConcurrentUpdateAbort(previous);
        }
      }, CurrentMillisClock.getDefaultClock());
    } catch (RetryHelper.RetryHelperException e) {
      Throwable cause = e.getCause();
      if (isConcurrentUpdateAbort(cause)) {
        throw new IllegalStateException("the publishing transaction was aborted by a concurrent update in each of "
            + attempt.get() + " attempts (bigquery.publish_retry.max_attempts), so nothing was published: "
            + cause.getMessage(), cause);
      }
      throw cause instanceof RuntimeException runtime ? runtime : e;
    }
    LOG.info("BigQuery ran: {}", firstLine(plan.transactionScript()));
  }

  /**
   * Whether BigQuery aborted a transaction because another job changed one of its tables: "Transaction is aborted
   * due to concurrent update against table ..." (https://cloud.google.com/bigquery/docs/transactions#transaction_concurrency),
   * or the DML conflict "Could not serialize access to table ... due to concurrent update"
   * (https://cloud.google.com/bigquery/docs/data-manipulation-language#dml_statement_conflicts).
   */
  static boolean isConcurrentUpdateAbort(Throwable error) {
    String message = error instanceof BigQueryException ? String.valueOf(error.getMessage()) : "";
    return message.contains("Transaction is aborted due to concurrent update")
        || message.contains("Could not serialize access to table");
  }

  private void dropStaging(BigQuery bigQuery, List<TableId> staged) {
    if (staged.isEmpty()) {
      return;
    }
    try {
      hook.before(Step.CLEANUP);
      for (TableId table : staged) {
        bigQuery.delete(table);
      }
    } catch (RuntimeException e) {
      LOG.warn("staging tables {} were not dropped ({}); they expire within {}",
          staged.stream().map(TableId::getTable).toList(), e.getMessage(), config.stagingExpiration());
    }
  }

  private void run(BigQuery bigQuery, String sql, Map<String, String> labels) {
    query(bigQuery, sql, labels);
    LOG.info("BigQuery ran: {}", firstLine(sql));
  }

  private TableResult query(BigQuery bigQuery, String sql, Map<String, String> labels) {
    try {
      return bigQuery.query(QueryJobConfiguration.newBuilder(sql).setUseLegacySql(false).setLabels(labels).build(),
          jobId());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while BigQuery ran: " + firstLine(sql), e);
    }
  }

  /**
   * A job id of our own for every statement: the client then inserts the job with jobs.insert and sends a refused
   * insert again under the same id, so a retry can never run a statement (the transaction above all) twice.
   */
  private JobId jobId() {
    return JobId.newBuilder().setProject(config.project()).setLocation(config.location()).setRandomJob().build();
  }

  private static String randomStagingTag() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static String firstLine(String sql) {
    return sql.strip().lines().findFirst().orElse("");
  }
}
