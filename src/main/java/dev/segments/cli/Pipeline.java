package dev.segments.cli;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.segments.features.FeatureSpec;
import dev.segments.features.FeatureTable;
import dev.segments.features.FeatureTableBuilder;
import dev.segments.ingest.ContractValidator;
import dev.segments.ingest.CsvSheetSource;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.IngestResult;
import dev.segments.ingest.SheetContract;
import dev.segments.ingest.SheetSource;
import dev.segments.ingest.sheets.GoogleSheetsSource;
import dev.segments.ingest.sheets.SheetsSourceConfig;
import dev.segments.report.HtmlReport;
import dev.segments.sink.BigQueryConfig;
import dev.segments.sink.BigQueryWarehouse;
import dev.segments.sink.LocalWarehouse;
import dev.segments.sink.OutputTable;
import dev.segments.sink.RunOutputs;
import dev.segments.sink.Warehouse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One nightly run: sheets in, contract, features, segments, analysis, report, outputs published. */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  private static final String REVENUE = "_revenue";
  public static final String REPORT_FILE = "report.html";

  private final PipelineConfig config;
  private final SparkSession spark;
  private final Clock clock;

  public Pipeline(PipelineConfig config, SparkSession spark, Clock clock) {
    this.config = config;
    this.spark = spark;
    this.clock = clock;
  }

  /** What a run produced, for the command's summary line. */
  /** @param dryRunPlan what a dry run would have written; empty when the run published */
  public record Summary(String runId, int k, double silhouette, long customers, long rowsRead, long rowsQuarantined,
      Duration duration, String publishedTo, Optional<String> dryRunPlan, Map<String, Double> stageSeconds) {}

  public Summary run() {
    return run(new RunStages(spark.sparkContext()));
  }

  Summary run(RunStages stages) {
    Instant started = clock.instant();
    DataContract contract = config.contract();
    SheetSource source = source(config);
    Warehouse warehouse = warehouse(config, spark);
    LOG.info("run {} as of {}: reading {}, publishing to {}", config.runId(), config.asOf(), source.describe(),
        warehouse.describe());

    stages.begin("ingest");
    List<String> sheetNames = contract.sheets().stream().map(SheetContract::name).toList();
    IngestResult ingested = ContractValidator.validate(source.read(spark, sheetNames), contract, config.asOf());

    stages.begin("features");
    FeatureSpec spec = featureSpec(config).validateAgainst(contract);
    FeatureTable features = FeatureTableBuilder.build(ingested, contract, spec, config.asOf());
    // Checkpointed rather than persisted: every later query (fits, silhouettes, profiles, FAMD, report) would
    // otherwise analyse, optimise and describe the whole ingest and feature lineage again, which took over half of
    // a sample run. A checkpoint has no unpersist: Spark's context cleaner frees it once the Dataset is unreachable.
    Dataset<Row> rows = withRevenue(features.rows(), ingested, contract).localCheckpoint();
    long customers = rows.count();
    LOG.info("feature table: {} customers, numeric {}, categorical {}", customers, features.numericFeatures(),
        features.categoricalFeatures());

    SegmentStep.Result segments = SegmentStep.run(rows, features.numericFeatures(), features.categoricalFeatures(),
        REVENUE, config.clustering(), config.analysis(),
        warehouse.latestBefore(OutputTable.SEGMENT_PROFILES.tableName(), config.asOf()), stages);
    Dataset<Row> segmented = segments.customers().drop(REVENUE);

    stages.begin("report");
    Dataset<Row> salesEnriched = OutputTables.salesEnriched(ingested, contract, segmented)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Duration duration = Duration.between(started, clock.instant());
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    tables.put(OutputTable.CUSTOMER_SEGMENTS.tableName(), customerSegments(segmented, features));
    tables.put(OutputTable.SEGMENT_PROFILES.tableName(), segments.profileTable());
    tables.put(OutputTable.SALES_ENRICHED.tableName(), salesEnriched);
    tables.put(OutputTable.MODEL_RUNS.tableName(), modelRun(started, duration, segments, ingested));
    tables.put(OutputTable.QUARANTINE.tableName(), ingested.quarantine());
    tables.put(OutputTable.K_SELECTION.tableName(), segments.choice().toDataset(spark));
    tables.replaceAll((name, table) -> OutputTables.stamped(table, config.asOf(), config.runId()));

    byte[] report = HtmlReport.renderUtf8(RunReport.data(config, segments, segmented, salesEnriched, ingested,
        duration, config.analysis().reportPoints()));
    RunOutputs outputs = new RunOutputs(config.runId(), config.asOf(), tables, Map.of(REPORT_FILE, report));
    Optional<String> dryRunPlan = config.dryRun() ? Optional.of(warehouse.describePlan(outputs)) : Optional.empty();
    stages.begin("publish");
    if (!config.dryRun()) {
      warehouse.publish(outputs);
    }
    stages.end();
    Summary summary = new Summary(config.runId(), segments.choice().k(), segments.silhouette(), customers,
        ingested.rowsRead(), ingested.rowsQuarantined(), Duration.between(started, clock.instant()),
        config.dryRun() ? "nothing (dry run)" : warehouse.describe(), dryRunPlan, stages.seconds());
    segments.customers().unpersist();
    salesEnriched.unpersist();
    return summary;
  }

  private static Dataset<Row> customerSegments(Dataset<Row> segmented, FeatureTable features) {
    List<String> leading = List.of(FeatureTable.CUSTOMER_ID, SegmentStep.SEGMENT_ID, SegmentStep.SEGMENT_NAME,
        SegmentStep.DISTANCE, "famd_1", "famd_2", FeatureTable.HAS_SALES);
    List<String> ordered = new java.util.ArrayList<>(leading);
    ordered.addAll(features.numericFeatures());
    ordered.addAll(features.categoricalFeatures());
    return segmented.select(ordered.stream().map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new));
  }

  /** Each customer's revenue (the sum of their sales amounts) for revenue shares; 0 without sales. */
  private static Dataset<Row> withRevenue(Dataset<Row> features, IngestResult ingested, DataContract contract) {
    String customerRef = contract.sales().columnReferencing(DataContract.CUSTOMERS).name();
    Dataset<Row> revenue = ingested.sales().groupBy(col(customerRef).as("_revenue_customer"))
        .agg(sum(col(contract.salesAmount())).as(REVENUE));
    return features.join(revenue, col(FeatureTable.CUSTOMER_ID).equalTo(col("_revenue_customer")), "left")
        .drop("_revenue_customer")
        .withColumn(REVENUE, coalesce(col(REVENUE), lit(0.0)));
  }

  private Dataset<Row> modelRun(Instant started, Duration duration, SegmentStep.Result segments,
      IngestResult ingested) {
    StructType schema = new StructType()
        .add("as_of", DataTypes.DateType, false)
        .add("started_at", DataTypes.TimestampType, false)
        .add("k", DataTypes.IntegerType, false)
        .add("gamma", DataTypes.DoubleType, false)
        .add("cost", DataTypes.DoubleType, false)
        .add("silhouette", DataTypes.DoubleType, true)
        .add("iterations", DataTypes.IntegerType, false)
        .add("rows_read", DataTypes.LongType, false)
        .add("rows_quarantined", DataTypes.LongType, false)
        .add("duration_s", DataTypes.DoubleType, false)
        .add("version", DataTypes.StringType, false);
    Row row = RowFactory.create(java.sql.Date.valueOf(config.asOf()), Timestamp.from(started),
        segments.choice().k(), segments.model().gamma(), segments.model().cost(),
        Double.isNaN(segments.silhouette()) ? null : segments.silhouette(), segments.model().numIter(),
        ingested.rowsRead(), ingested.rowsQuarantined(), duration.toMillis() / 1000.0, SegmentCli.version());
    return spark.createDataFrame(List.of(row), schema);
  }

  /** The configured source: CSV exports or the Google Sheets API. */
  static SheetSource source(PipelineConfig config) {
    return switch (config.source()) {
      case "sheets" -> GoogleSheetsSource.withConfiguredCredentials(
          ConfigLoader.bind(config.sheets(), "sheets", SheetsSourceConfig.class));
      default -> new CsvSheetSource(config.input());
    };
  }

  static Warehouse warehouse(PipelineConfig config, SparkSession spark) {
    return switch (config.sink()) {
      case "bigquery" -> new BigQueryWarehouse(ConfigLoader.bind(config.bigquery(), "bigquery", BigQueryConfig.class));
      default -> new LocalWarehouse(config.output(), spark);
    };
  }

  /** The configured feature list, or the default spec for the default layout. */
  static FeatureSpec featureSpec(PipelineConfig config) {
    if (config.features() == null) {
      return FeatureSpec.defaultSpec();
    }
    if (!config.features().isArray()) {
      throw new ConfigException("features must be a list of feature entries (see README, \"Features\")");
    }
    List<Map<String, Object>> entries = ConfigLoader.yaml().convertValue(config.features(), new TypeReference<>() {});
    return FeatureSpec.fromEntries(entries);
  }

}
