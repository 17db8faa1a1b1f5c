package dev.segments.pipeline;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.segments.analysis.ProductAffinity;
import dev.segments.config.ConfigException;
import dev.segments.config.PipelineConfig;
import dev.segments.config.Source;
import dev.segments.features.FeatureSpec;
import dev.segments.features.FeatureTable;
import dev.segments.features.FeatureTableBuilder;
import dev.segments.features.FeatureTableChecks;
import dev.segments.ingest.ContractValidator;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.IngestResult;
import dev.segments.ingest.RowCountCheck;
import dev.segments.ingest.SheetContract;
import dev.segments.ingest.SheetSource;
import dev.segments.report.HtmlReport;
import dev.segments.sink.OutputTable;
import dev.segments.sink.RunOutputs;
import dev.segments.sink.Warehouse;
import java.nio.file.Files;
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

  /**
   * Runs the night. What can be checked without the data is checked first, so that a run that cannot succeed fails
   * in seconds: the input folder exists, the feature spec fits the contract, and the sink can be published to (for
   * the local sink: the folder is writable and no other run holds it, which it then keeps to itself until the end;
   * not checked in a dry run, which writes nothing).
   */
  public Summary run() {
    return run(new RunStages(spark.sparkContext()));
  }

  Summary run(RunStages stages) {
    Instant started = clock.instant();
    if (config.source() == Source.CSV && !Files.isDirectory(config.input())) {
      throw new ConfigException("the input folder " + config.input() + " does not exist or is not a folder (key"
          + " input, flag --input)");
    }
    FeatureSpec spec = config.checkedFeatures();
    Warehouse warehouse = Endpoints.warehouse(config, spark);
    // A dry run writes nothing, not even the output folder or its lock.
    Warehouse.Reservation nothingHeld = () -> { };
    try (Warehouse.Reservation reserved = config.dryRun() ? nothingHeld : warehouse.reserve()) {
      return run(started, spec, warehouse, stages);
    }
  }

  private Summary run(Instant started, FeatureSpec spec, Warehouse warehouse, RunStages stages) {
    DataContract contract = config.contract();
    SheetSource source = Endpoints.source(config);
    LOG.info("run {} as of {}: reading {}, publishing to {}", config.runId(), config.asOf(), source.describe(),
        warehouse.describe());

    stages.begin("ingest");
    List<String> sheetNames = contract.sheets().stream().map(SheetContract::name).toList();
    IngestResult ingested = ContractValidator.validate(source.read(spark, sheetNames), contract, config.asOf());
    RowCountCheck.check(contract, ingested.counts(), previousKeptRows(warehouse, contract));

    stages.begin("features");
    FeatureTable features = FeatureTableBuilder.build(ingested, contract, spec, config.asOf());
    Dataset<Row> rows = materialised(withRevenue(features.rows(), ingested, contract));
    long customers = rows.count();
    features = FeatureTableChecks.withoutManyLevelFeatures(features, customers, config.clustering().maxLevels(),
        config.clustering().maxLevelShare());
    FeatureTableChecks.requireDistinctCustomers(features, customers,
        config.clustering().k() != null ? config.clustering().k() : config.clustering().kMin());
    LOG.info("feature table: {} customers, numeric {}, categorical {}", customers, features.numericFeatures(),
        features.categoricalFeatures());

    SegmentStep.Result segments = SegmentStep.run(rows, features.numericFeatures(), features.categoricalFeatures(),
        REVENUE, config.clustering(), config.analysis(),
        warehouse.latestBefore(OutputTable.SEGMENT_PROFILES.tableName(), config.asOf()), stages);
    Dataset<Row> segmented = segments.customers().drop(REVENUE);

    stages.begin("report");
    Dataset<Row> salesEnriched = OutputTables.salesEnriched(ingested, contract, segmented)
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<ProductAffinity.Holding> affinity = ProductAffinity.compute(salesEnriched, FeatureTable.CUSTOMER_ID,
        SegmentStep.SEGMENT_ID, OutputTables.productAttributes(contract), segmentSizes(segments), customers);
    Map<Integer, List<String>> offers = ProductAffinity.offers(affinity, OutputTables.PRODUCT_TYPE,
        config.analysis().crossSellMinLift(), config.analysis().crossSellMinShare());
    Dataset<Row> customerSegments = OutputTables.withCrossSell(customerSegments(segmented, features), salesEnriched,
        ingested, contract, offers);
    Duration duration = Duration.between(started, clock.instant());
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    tables.put(OutputTable.CUSTOMER_SEGMENTS.tableName(), customerSegments);
    tables.put(OutputTable.SEGMENT_PROFILES.tableName(), segments.profileTable());
    tables.put(OutputTable.SALES_ENRICHED.tableName(), salesEnriched);
    tables.put(OutputTable.SEGMENT_PRODUCT_AFFINITY.tableName(), ProductAffinity.table(spark, affinity));
    tables.put(OutputTable.MODEL_RUNS.tableName(), modelRun(started, duration, segments, ingested));
    tables.put(OutputTable.QUARANTINE.tableName(), ingested.quarantine());
    tables.put(OutputTable.K_SELECTION.tableName(), segments.choice().toDataset(spark));
    tables.replaceAll((name, table) -> OutputTables.stamped(table, config.asOf(), config.runId()));

    byte[] report = HtmlReport.renderUtf8(RunReport.data(config, segments, segmented, salesEnriched, ingested,
        duration, config.analysis().reportPoints(), affinity, offers, customerSegments));
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
    rows.unpersist();
    return summary;
  }

  /**
   * The feature table computed once, behind a short plan, for every later query (fits, silhouettes, profiles, FAMD,
   * report): with the whole ingest and feature lineage in their plans, analysing and optimising them took over half
   * of a sample run. That was {@code localCheckpoint()}, whose blocks live only in the executors' block managers and
   * have no lineage to be rebuilt from: Spark's {@code RDD.localCheckpoint} documentation says it "is NOT safe to
   * use with dynamic allocation, which removes executors along with their cached blocks", and dataproc/batch.env
   * enables dynamic allocation, so one lost executor failed the night ("Checkpoint block ... not found"). Instead the
   * rows become a DataFrame over their RDD (a short plan that keeps the lineage underneath), persisted in two copies
   * on two executors (one when local: a single block manager has no peer to copy to), and counted at once: a lost
   * block is read from the other copy or recomputed from the sheets.
   */
  static Dataset<Row> materialised(Dataset<Row> rows) {
    SparkSession spark = rows.sparkSession();
    StorageLevel level = spark.sparkContext().isLocal() ? StorageLevel.MEMORY_AND_DISK()
        : StorageLevel.MEMORY_AND_DISK_2();
    Dataset<Row> table = spark.createDataFrame(rows.javaRDD(), rows.schema()).persist(level);
    table.count();
    return table;
  }

  private static Map<Integer, Long> segmentSizes(SegmentStep.Result segments) {
    Map<Integer, Long> sizes = new LinkedHashMap<>();
    segments.profiles().forEach(profile -> sizes.put(profile.segmentId(), profile.size()));
    return sizes;
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

  /**
   * What the previous run kept of the customers and sales sheets (its customer_segments and sales_enriched rows), for
   * {@link RowCountCheck}; empty for a first run.
   */
  private Map<String, Long> previousKeptRows(Warehouse warehouse, DataContract contract) {
    Map<String, Long> kept = new LinkedHashMap<>();
    warehouse.latestBefore(OutputTable.CUSTOMER_SEGMENTS.tableName(), config.asOf())
        .ifPresent(table -> kept.put(contract.customers().name(), table.count()));
    warehouse.latestBefore(OutputTable.SALES_ENRICHED.tableName(), config.asOf())
        .ifPresent(table -> kept.put(contract.sales().name(), table.count()));
    return kept;
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
        ingested.rowsRead(), ingested.rowsQuarantined(), duration.toMillis() / 1000.0, BuildVersion.current());
    return spark.createDataFrame(List.of(row), schema);
  }
}
