package dev.segments.pipeline;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.segments.analysis.Famd;
import dev.segments.analysis.StableSegmentIds;
import dev.segments.analysis.ProductAffinity;
import dev.segments.config.ConfigException;
import dev.segments.config.PipelineConfig;
import dev.segments.config.Source;
import dev.segments.contract.SheetCounts;
import dev.segments.features.FeatureSpec;
import dev.segments.features.FeatureTable;
import dev.segments.features.FeatureTableBuilder;
import dev.segments.features.FeatureTableChecks;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.IngestResult;
import dev.segments.ingest.RowCountCheck;
import dev.segments.ingest.SheetContract;
import dev.segments.ingest.SheetSource;
import dev.segments.report.HtmlReport;
import dev.segments.report.NightChanges;
import dev.segments.report.RunSummary;
import dev.segments.sink.OutputTable;
import dev.segments.sink.RunOutputs;
import dev.segments.sink.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One nightly run: sheets in, contract, features, segments, analysis, what changed since the previous night (the
 * gate: a blocking alert stops the night here, before the report and the publish), report, outputs published.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  private static final String REVENUE = "_revenue";
  public static final String REPORT_FILE = "report.html";
  /** What a run on a small input sets for itself, unless spark.conf names one of them: see {@link #smallInput}. */
  static final Map<String, String> SMALL_INPUT_SETTINGS = Map.of("spark.sql.adaptive.enabled", "false",
      "spark.sql.autoBroadcastJoinThreshold", "-1");
  /** Spark's target size of a shuffle partition under adaptive execution (advisoryPartitionSizeInBytes), 64 MiB. */
  static final long SMALL_INPUT_BYTES = 64L << 20;

  private final PipelineConfig config;
  private final SparkSession spark;
  private final Clock clock;

  public Pipeline(PipelineConfig config, SparkSession spark, Clock clock) {
    this.config = config;
    this.spark = spark;
    this.clock = clock;
  }

  /**
   * What a run produced, for the command's summary line.
   *
   * @param run the run's record, as its report and its model_runs row show it
   * @param wallTime the whole run, publishing included
   * @param publishedTo where the outputs went
   * @param dryRunPlan what a dry run would have written; empty when the run published
   * @param stageSeconds seconds spent in each stage, in order
   */
  public record Outcome(RunSummary run, Duration wallTime, String publishedTo, Optional<String> dryRunPlan,
      Map<String, Double> stageSeconds) {}

  /**
   * Runs the night. What can be checked without the data is checked first, so that a run that cannot succeed fails
   * in seconds: the input folder exists, the feature spec fits the contract, the sink's previous outputs can be read
   * (BigQuery: credentials are found; a dry run too), and the sink can be published to (for the local sink: the
   * folder is writable and no other run holds it, which it then keeps to itself until the end; not checked in a dry
   * run, which writes nothing).
   */
  public Outcome run() {
    return run(new RunStages(spark.sparkContext()));
  }

  Outcome run(RunStages stages) {
    Instant started = clock.instant();
    if (config.source() == Source.CSV && !Files.isDirectory(config.input())) {
      throw new ConfigException("the input folder " + config.input() + " does not exist or is not a folder (key"
          + " input, flag --input)");
    }
    FeatureSpec spec = config.checkedFeatures();
    Warehouse warehouse = Endpoints.warehouse(config, spark);
    warehouse.checkReadable();
    Map<String, Optional<String>> before = new LinkedHashMap<>();
    SMALL_INPUT_SETTINGS.keySet().forEach(key -> before.put(key, Optional.ofNullable(spark.conf().get(key, null))));
    // A dry run writes nothing, not even the output folder or its lock.
    Warehouse.Reservation nothingHeld = () -> { };
    try (Warehouse.Reservation reserved = config.dryRun() ? nothingHeld : warehouse.reserve()) {
      if (smallInput()) {
        SMALL_INPUT_SETTINGS.forEach(spark.conf()::set);
      }
      return run(started, spec, warehouse, stages);
    } finally {
      before.forEach((key, value) -> value.ifPresentOrElse(v -> spark.conf().set(key, v),
          () -> spark.conf().unset(key)));
    }
  }

  /**
   * Whether the input is a CSV folder whose sheets together hold at most {@link #SMALL_INPUT_BYTES} and the config
   * leaves adaptive query execution and broadcast joins to the run: then every shuffle fits in one of AQE's target
   * partitions, and adaptive execution would only split each query into one Spark job per shuffle stage to re-plan
   * what needs no re-planning (on the sample, two jobs in three), as a join broadcast without a hint adds a job to
   * collect the small side where a shuffle of a few rows inside the query does the same. Such a run executes its
   * queries as planned, one job each ({@link #SMALL_INPUT_SETTINGS}).
   */
  private boolean smallInput() {
    if (config.source() != Source.CSV
        || SMALL_INPUT_SETTINGS.keySet().stream().anyMatch(config.spark().conf()::containsKey)) {
      return false;
    }
    long bytes = 0;
    for (SheetContract sheet : config.contract().sheets()) {
      Path file = config.input().resolve(sheet.name() + ".csv");
      try {
        bytes += Files.isRegularFile(file) ? Files.size(file) : 0;
      } catch (IOException e) {
        return false;
      }
    }
    if (bytes <= SMALL_INPUT_BYTES) {
      LOG.info("input of {} bytes: queries run as planned, one job each ({})", bytes, SMALL_INPUT_SETTINGS);
      return true;
    }
    return false;
  }

  private Outcome run(Instant started, FeatureSpec spec, Warehouse warehouse, RunStages stages) {
    DataContract contract = config.contract();
    SheetSource source = Endpoints.source(config);
    LOG.info("run {} as of {}: reading {}, publishing to {}", config.runId(), config.asOf(), source.describe(),
        warehouse.describe());
    RuntimeVersions versions = RuntimeVersions.current(spark.sparkContext().getConf());
    LOG.info("running on {}", versions.describe());

    stages.begin("ingest");
    IngestResult ingested = IngestStage.ingest(spark, source, contract, config.asOf());
    Optional<Dataset<Row>> previousCustomers = warehouse.latestBefore(OutputTable.CUSTOMER_SEGMENTS.tableName(),
        config.asOf());
    RowCountCheck.check(contract, ingested.counts(), previousKeptRows(warehouse, contract, previousCustomers));

    stages.begin("features");
    FeatureTable features = FeatureTableBuilder.build(ingested, contract, spec, config.asOf());
    Materialised materialised = materialised(withRevenue(features.rows(), ingested, contract),
        features.numericFeatures(), features.categoricalFeatures(), config.clustering().maxCorrelation());
    Dataset<Row> rows = materialised.table();
    long customers = materialised.summary().customers();
    FeatureTableChecks.Checked checked = FeatureTableChecks.checked(features, materialised.summary(),
        config.clustering().maxLevels(), config.clustering().maxLevelShare(), config.clustering().maxCorrelation());
    features = checked.table();
    FeatureTableChecks.requireDistinctCustomers(features, materialised.summary(),
        config.clustering().k() != null ? config.clustering().k() : config.clustering().kMin());
    LOG.info("feature table: {} customers, numeric {} (clustered: {}), categorical {}", customers,
        features.numericFeatures(), checked.clusteredNumeric(), features.categoricalFeatures());

    SegmentStep.Result segments = SegmentStep.run(rows, features.numericFeatures(), checked.clusteredNumeric(),
        features.categoricalFeatures(), REVENUE, config.clustering(), config.analysis(),
        warehouse.latestBefore(OutputTable.SEGMENT_PROFILES.tableName(), config.asOf()), stages);
    Dataset<Row> segmented = segments.customers().drop(REVENUE);

    // The gate: what changed since the previous night, checked before anything is written.
    stages.begin("changes");
    NightChanges changes = OvernightChanges.compute(new OvernightChanges.Tonight(segmented,
            features.numericFeatures(), features.categoricalFeatures(), SheetCounts.totalRead(ingested.counts()),
            SheetCounts.totalQuarantined(ingested.counts()),
            segments.choice().k(), segments.model().cost(),
            Double.isNaN(segments.silhouette()) ? null : segments.silhouette()),
        new OvernightChanges.Before(previousCustomers, warehouse.recentBefore(OutputTable.MODEL_RUNS.tableName(),
            config.asOf(), config.alerts().quarantineNights()).map(Dataset::collectAsList).orElse(List.of())),
        config.alerts());
    LOG.info(OvernightChanges.logBlock(changes, config.alerts()));
    OvernightChanges.requireNotBlocked(changes, config.alerts(), config.asOf());

    stages.begin("report");
    Dataset<Row> salesEnriched = OutputTables.salesEnriched(ingested, contract, segmented)
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<ProductAffinity.Holding> affinity = ProductAffinity.compute(salesEnriched, FeatureTable.CUSTOMER_ID,
        StableSegmentIds.SEGMENT_ID, OutputTables.productAttributes(contract), segmentSizes(segments), customers);
    Map<Integer, List<String>> offers = ProductAffinity.offers(affinity, OutputTables.PRODUCT_TYPE,
        config.analysis().crossSellMinLift(), config.analysis().crossSellMinShare());
    Dataset<Row> customerSegments = OutputTables.withCrossSell(customerSegments(segmented, features), salesEnriched,
        ingested, contract, offers);
    RunSummary run = new RunSummary(config.runId(), config.asOf(), started, BuildVersion.current(),
        segments.choice().k(), segments.model().gamma(), segments.model().cost(), segments.silhouette(),
        segments.model().numIter(), customers, Duration.between(started, clock.instant()), ingested.counts());
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    tables.put(OutputTable.CUSTOMER_SEGMENTS.tableName(), customerSegments);
    tables.put(OutputTable.SEGMENT_PROFILES.tableName(), segments.profileTable());
    tables.put(OutputTable.SALES_ENRICHED.tableName(), salesEnriched);
    tables.put(OutputTable.SEGMENT_PRODUCT_AFFINITY.tableName(), ProductAffinity.table(spark, affinity));
    tables.put(OutputTable.MODEL_RUNS.tableName(), OutputTables.modelRun(spark, run, versions));
    tables.put(OutputTable.QUARANTINE.tableName(), ingested.quarantine());
    tables.put(OutputTable.K_SELECTION.tableName(), segments.choice().toDataset(spark));
    tables.put(OutputTable.NIGHT_CHANGES.tableName(), OvernightChanges.toDataset(changes, spark));
    tables.replaceAll((name, table) -> OutputTables.stamped(table, config.asOf(), config.runId()));

    byte[] report = HtmlReport.renderUtf8(RunReport.data(config, segments, checked.correlated(), segmented,
        salesEnriched, ingested, run, config.analysis().reportPoints(), changes, affinity, offers, customerSegments));
    RunOutputs outputs = new RunOutputs(config.runId(), config.asOf(), tables, Map.of(REPORT_FILE, report));
    Optional<String> dryRunPlan = config.dryRun() ? Optional.of(warehouse.describePlan(outputs)) : Optional.empty();
    stages.begin("publish");
    if (!config.dryRun()) {
      warehouse.publish(outputs);
    }
    stages.end();
    Outcome outcome = new Outcome(run, Duration.between(started, clock.instant()),
        config.dryRun() ? "nothing (dry run)" : warehouse.describe(), dryRunPlan, stages.seconds());
    segments.unpersist();
    salesEnriched.unpersist();
    rows.unpersist();
    return outcome;
  }

  /**
   * The feature table computed once, behind a short plan, for every later query (fits, silhouettes, profiles, FAMD,
   * report): with the whole ingest and feature lineage in their plans, analysing and optimising them took over half
   * of a sample run. That was {@code localCheckpoint()}, whose blocks live only in the executors' block managers and
   * have no lineage to be rebuilt from: Spark's {@code RDD.localCheckpoint} documentation says it "is NOT safe to
   * use with dynamic allocation, which removes executors along with their cached blocks", and dataproc/batch.env
   * enables dynamic allocation, so one lost executor failed the night ("Checkpoint block ... not found"). Instead the
   * rows become a DataFrame over their RDD (a short plan that keeps the lineage underneath), persisted in two copies
   * on two executors (one when local: a single block manager has no peer to copy to), and computed at once by the
   * table checks' summary (the same job): a lost block is read from the other copy or recomputed from the sheets.
   */
  static Materialised materialised(Dataset<Row> rows, List<String> numeric, List<String> categorical,
      double maxCorrelation) {
    SparkSession spark = rows.sparkSession();
    StorageLevel level = spark.sparkContext().isLocal() ? StorageLevel.MEMORY_AND_DISK()
        : StorageLevel.MEMORY_AND_DISK_2();
    Dataset<Row> table = spark.createDataFrame(rows.javaRDD(), rows.schema()).persist(level);
    return new Materialised(table, FeatureTableChecks.summarise(table, numeric, categorical, maxCorrelation));
  }

  private static Map<Integer, Long> segmentSizes(SegmentStep.Result segments) {
    Map<Integer, Long> sizes = new LinkedHashMap<>();
    segments.profiles().forEach(profile -> sizes.put(profile.segmentId(), profile.size()));
    return sizes;
  }

  /** The persisted feature table and what the table checks read of it. */
  record Materialised(Dataset<Row> table, FeatureTableChecks.Summary summary) {}

  private static Dataset<Row> customerSegments(Dataset<Row> segmented, FeatureTable features) {
    List<String> leading = List.of(FeatureTable.CUSTOMER_ID, StableSegmentIds.SEGMENT_ID, SegmentStep.SEGMENT_NAME,
        SegmentStep.DISTANCE, SegmentStep.RUNNER_UP_SEGMENT_ID, SegmentStep.CONFIDENCE, SegmentStep.BORDERLINE,
        SegmentStep.REASONS, Famd.FIRST_COORDINATE, Famd.SECOND_COORDINATE, FeatureTable.HAS_SALES);
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
  private Map<String, Long> previousKeptRows(Warehouse warehouse, DataContract contract,
      Optional<Dataset<Row>> previousCustomers) {
    Map<String, Long> kept = new LinkedHashMap<>();
    previousCustomers.ifPresent(table -> kept.put(contract.customers().name(), table.count()));
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
}
