package dev.segments.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockStatus;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.StorageStatus;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * K-Prototypes clustering (Huang 1998) of mixed numeric and categorical data, as a spark.ml Estimator. The distance
 * between a row and a prototype is the squared Euclidean distance on the scaled numeric features plus gamma times the
 * number of categorical features that differ from the prototype's mode.
 *
 * <p>The fit reads the input twice (statistics, then packing into cached primitive blocks; the input is cached
 * meanwhile if the caller did not cache it), then every iteration is one pass over the blocks. {@link #fitRange}
 * fits several k on the same blocks in shared passes.
 */
public class KPrototypes extends Estimator<KPrototypesModel> implements KPrototypesParams, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(KPrototypes.class);
  /** The values of the scaling param (see {@link #scalingParam()}). */
  public static final List<String> SCALINGS = List.of(Scaling.NAMES);
  /** The values of the initMode param (see {@link #initModeParam()}). */
  public static final List<String> INIT_MODES = List.of(InitMode.NAMES);

  private final String uid;
  private final Instances instances;
  /** Starting prototypes for every run, bypassing initMode; package-private, for tests against a reference. */
  private List<Prototype> startingPrototypes;
  /** One more start, beside the seeded ones, for the k equal to its size (see {@link #setWarmStart}). */
  private List<Prototype> warmStart;

  public KPrototypes() {
    this(Identifiable$.MODULE$.randomUID("kprototypes"));
  }

  public KPrototypes(String uid) {
    this.uid = uid;
    instances = new Instances(this);
    setSharedDefaults();
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override public Instances instances() { return instances; }

  public KPrototypes setK(int value) { set(kParam(), value); return this; }
  public KPrototypes setMaxIter(int value) { set(maxIterParam(), value); return this; }
  public KPrototypes setTol(double value) { set(tolParam(), value); return this; }
  public KPrototypes setSeed(long value) { set(seedParam(), value); return this; }
  public KPrototypes setGamma(double value) { set(gammaParam(), value); return this; }
  public KPrototypes setInitMode(String value) { set(initModeParam(), value); return this; }
  public KPrototypes setInitSteps(int value) { set(initStepsParam(), value); return this; }
  public KPrototypes setNumInits(int value) { set(numInitsParam(), value); return this; }
  public KPrototypes setNumericCols(String[] value) { set(numericColsParam(), value); return this; }
  public KPrototypes setCategoricalCols(String[] value) { set(categoricalColsParam(), value); return this; }
  public KPrototypes setWeightCol(String value) { set(weightColParam(), value); return this; }
  public KPrototypes setPredictionCol(String value) { set(predictionColParam(), value); return this; }
  public KPrototypes setDistanceCol(String value) { set(distanceColParam(), value); return this; }
  public KPrototypes setScaling(String value) { set(scalingParam(), value); return this; }
  public KPrototypes setHandleInvalid(String value) { set(handleInvalidParam(), value); return this; }
  public KPrototypes setStabilityStarts(int value) { set(stabilityStartsParam(), value); return this; }
  public KPrototypes setWarmStartMargin(double value) { set(warmStartMarginParam(), value); return this; }

  /**
   * Prototypes to start one more run from, beside the seeded starts, when the fit's k (or one k of {@link #fitRange})
   * equals their number: typically the previous night's segments, as numeric centres in original units and category
   * values. Why: when the data moves by a little, the seeded starts can land in other local optima of about the same
   * cost than they did the night before (k-prototypes|| samples rows with probabilities a small change in distances
   * shifts), which would move many customers between segments on a night when nothing changed. So the warm run
   * competes, and is kept unless a seeded start ends cheaper by more than warmStartMargin of its cost. It is not one
   * of the starts whose agreement measures stability, nor counted among the distinct optima.
   */
  public KPrototypes setWarmStart(List<Prototype> prototypes) {
    if (prototypes.isEmpty()) {
      throw new IllegalArgumentException("a warm start needs at least one prototype");
    }
    this.warmStart = List.copyOf(prototypes);
    return this;
  }

  /**
   * Starting prototypes in original units and category values, used for every run instead of initMode:
   * {@code numeric[j]} and {@code categories[j]} are prototype j's.
   */
  KPrototypes setStartingPrototypes(double[][] numeric, String[][] categories) {
    List<Prototype> starts = new ArrayList<>();
    for (int j = 0; j < Math.max(numeric.length, categories.length); j++) {
      starts.add(new Prototype(numeric[j], categories[j]));
    }
    this.startingPrototypes = List.copyOf(starts);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (isDefined(weightColParam())) {
      String name = getOrDefault(weightColParam());
      if (!Arrays.asList(schema.fieldNames()).contains(name)) {
        throw new IllegalArgumentException("weight column '" + name + "' is not in the input");
      }
    }
    return validateAndTransformSchema(schema);
  }

  @Override
  public KPrototypesModel fit(Dataset<?> dataset) {
    KPrototypesRange fitted = search(dataset, new int[] {getK()}, 1);
    String skipped = fitted.skipped().get(getK());
    if (skipped != null) {
      throw new IllegalArgumentException(skipped);
    }
    return fitted.models().get(getK());
  }

  /**
   * Fits every k in {@code ks} on one cached copy of the rows, in shared passes: every start of every k is chosen in
   * the same jobs and every Lloyd pass over the cached blocks advances all of them, so the whole range costs about
   * the passes of its slowest fit. Each k's best start is the model {@link #fit} would return for that k with the
   * same params; beyond that, a k whose cost came out above the k below's is refitted from the k below's segments plus
   * a split of its widest one (so the cost never rises with k), and each k's stability against its other starts is
   * measured ({@link KPrototypesRange}). A k with fewer distinct rows than k is skipped, not fatal. The k param is
   * ignored.
   */
  public KPrototypesRange fitRange(Dataset<?> dataset, int... ks) {
    if (ks.length == 0) {
      throw new IllegalArgumentException("fitRange needs at least one k");
    }
    int[] sorted = Arrays.stream(ks).distinct().sorted().toArray();
    for (int value : sorted) {
      if (value < 1) {
        throw new IllegalArgumentException("k must be >= 1, got " + value);
      }
    }
    return search(dataset, sorted, getStabilityStarts());
  }

  private KPrototypesRange search(Dataset<?> dataset, int[] ks, int stabilityStarts) {
    transformSchema(dataset.schema());
    String[] numeric = getNumericCols();
    String[] categorical = getCategoricalCols();
    String weight = isDefined(weightColParam()) ? getOrDefault(weightColParam()) : null;
    LOG.info("K-Prototypes fit: k={} maxIter={} tol={} seed={} gamma={} initMode={} initSteps={} numInits={}"
            + " scaling={} numericCols={} categoricalCols={} weightCol={} handleInvalid={}", Arrays.toString(ks),
        getMaxIter(), getTol(), getSeed(), isDefined(gammaParam()) ? getOrDefault(gammaParam()) : "auto", getInitMode(),
        getInitSteps(), getNumInits(), getScaling(), Arrays.toString(numeric), Arrays.toString(categorical), weight,
        getHandleInvalid());

    long started = System.nanoTime();
    boolean cacheInput = dataset.storageLevel().equals(StorageLevel.NONE());
    if (cacheInput) {
      dataset.persist(StorageLevel.MEMORY_AND_DISK());
    }
    boolean warm = startingPrototypes == null && warmStart != null
        && Arrays.binarySearch(ks, warmStart.size()) >= 0;
    int runs = startingPrototypes != null ? 1
        : ks.length * Math.max(getNumInits(), stabilityStarts) + (warm ? 1 : 0);
    JavaRDD<FeatureBlock> blocks;
    long cacheBytes;
    FeatureStatistics stats;
    NumericScaler scaler;
    try {
      Dataset<?> usable = usableRows(dataset, numeric, categorical, weight);
      stats = FeatureStatistics.of(usable, numeric, categorical, weight);
      scaler = Scaling.of(getScaling()).scalerFor(stats, usable, numeric);
      // One hint slot per run, so each run's search starts from the row's last prototype in that run.
      int hintSlots = ks[ks.length - 1] <= ClusterStats.MAX_HINTED_K ? runs : 0;
      blocks = BlockPacker.pack(featureColumns(usable, numeric, categorical, weight), numeric.length,
          categorical.length, weight != null, scaler, stats.dictionaries(), hintSlots);
      // As MLlib's k-means caches its data: a block that does not fit in memory goes to local disk instead of being
      // recomputed from the whole input lineage on every pass.
      blocks.persist(StorageLevel.MEMORY_AND_DISK());
      blocks.count();
      cacheBytes = cachedBytes(blocks);
    } finally {
      if (cacheInput) {
        dataset.unpersist();
      }
    }
    try {
      double usedGamma = isDefined(gammaParam()) ? (Double) getOrDefault(gammaParam()) : huangGamma(stats, scaler);
      long packed = System.nanoTime();
      InitMode.Inputs inputs = new InitMode.Inputs(blocks, stats.rows(), usedGamma, getInitSteps(),
          stats.dictionaries().cardinalities());
      Prototypes fixedStart = startingPrototypes == null ? null
          : encode(startingPrototypes, stats.dictionaries(), scaler, usedGamma);
      Prototypes warmStarting = warm ? encode(warmStart, stats.dictionaries(), scaler, usedGamma) : null;
      SharedPassSearch.Outcome outcome = SharedPassSearch.fit(blocks, inputs, InitMode.of(getInitMode()), ks,
          getNumInits(), stabilityStarts, getSeed(), fixedStart, new SharedPassSearch.WarmStart(warmStarting,
              getWarmStartMargin()), getMaxIter(), getTol());
      long finished = System.nanoTime();
      SortedMap<Integer, KPrototypesRange.KFit> fits = new TreeMap<>();
      outcome.fits().forEach((fittedK, fit) -> {
        LloydIterations.Run best = fit.best();
        KPrototypesSummary summary = new KPrototypesSummary(best.cost(), best.iterations(), best.costHistory(),
            best.sizes(), (packed - started) / 1e9, outcome.initSeconds(),
            (finished - packed) / 1e9 - outcome.initSeconds(), outcome.passes(), cacheBytes);
        LOG.info("K-Prototypes fit done: k={} cost {} after {} iterations; sizes {}; {} rows packed into {} cached"
                + " bytes in {}s; init and {} shared passes in {}s", fittedK, best.cost(), best.iterations(),
            Arrays.toString(best.sizes()), stats.rows(), cacheBytes, summary.packSeconds(), summary.passes(),
            summary.iterateSeconds());
        KPrototypesModel model = new KPrototypesModel(uid, new KPrototypesModel.State(scaler, stats.dictionaries(),
            best.prototypes(), summary));
        copyValues(model, extractParamMap()).setParent(this);
        fits.put(fittedK, new KPrototypesRange.KFit(model.withFittedParams(),
            outcome.stability().getOrDefault(fittedK, Double.NaN), fit.distinctOptima(), fit.refitted(),
            fit.warmStarted()));
      });
      return new KPrototypesRange(fits, outcome.skipped(), outcome.passes());
    } finally {
      blocks.unpersist(false);
    }
  }

  /**
   * The rows the fit uses: all of them under handleInvalid 'error' (where {@link FeatureStatistics} fails on the first
   * bad column), else those with every feature and the weight usable, after checking that some are left.
   */
  private Dataset<?> usableRows(Dataset<?> dataset, String[] numeric, String[] categorical, String weight) {
    if (getHandleInvalid().equals("error")) {
      return dataset;
    }
    Column invalid = InvalidRows.any(numeric, categorical, weight);
    Row counts = dataset.agg(functions.count(functions.lit(1)),
        functions.sum(functions.when(invalid, 1).otherwise(0))).first();
    long rows = counts.getLong(0);
    long leftOut = counts.isNullAt(1) ? 0 : counts.getLong(1);
    if (rows > 0 && leftOut == rows) {
      throw new IllegalArgumentException("every one of the " + rows + " rows has a null, NaN or infinite feature or"
          + " weight; nothing is left to fit (handleInvalid=" + getHandleInvalid() + ")");
    }
    if (leftOut > 0) {
      LOG.warn("K-Prototypes fit: left out {} of {} rows with a null, NaN or infinite feature or weight"
          + " (handleInvalid={})", leftOut, rows, getHandleInvalid());
    }
    return dataset.filter(functions.not(invalid));
  }

  private static Prototypes encode(List<Prototype> given, CategoryDictionaries dictionaries, NumericScaler scaler,
                                   double gamma) {
    int k = given.size();
    int d = scaler.shift().length;
    int c = dictionaries.features();
    double[] centers = new double[k * d];
    int[] modes = new int[k * c];
    for (int j = 0; j < k; j++) {
      double[] centre = given.get(j).numericCentre();
      String[] categories = given.get(j).modes();
      for (int f = 0; f < d; f++) {
        centers[j * d + f] = scaler.scaled(f, centre[f]);
      }
      for (int f = 0; f < c; f++) {
        modes[j * c + f] = dictionaries.code(f, categories[f]);
      }
    }
    return new Prototypes(k, d, c, gamma, centers, modes);
  }

  /** Huang's rule: half the mean standard deviation of the scaled numeric features (1 when there are none). */
  private static double huangGamma(FeatureStatistics stats, NumericScaler scaler) {
    int d = stats.stddevs().length;
    if (d == 0) {
      return 1.0;
    }
    double sum = 0;
    for (int f = 0; f < d; f++) {
      sum += scaler.scaledStddev(f, stats.stddevs()[f]);
    }
    double gamma = 0.5 * sum / d;
    return gamma > 0 ? gamma : 1.0;
  }

  /**
   * Memory and disk the block managers hold for a persisted RDD, asked of the block manager master, which every block
   * is reported to before the task that stored it ends. ({@code SparkContext.getRDDStorageInfo} reads the status
   * store instead, which listener events update later and at most every {@code spark.ui.liveUpdate.period}: read
   * right after caching it gave 0 or part of the blocks.) Warns when a partition could not be cached (not even on
   * disk): it is then recomputed on every pass, and the bytes count only the cached ones.
   */
  private static long cachedBytes(JavaRDD<?> rdd) {
    long bytes = 0;
    Set<Integer> cached = new HashSet<>();
    for (StorageStatus status : SparkEnv.get().blockManager().master().getStorageStatus()) {
      for (Tuple2<BlockId, BlockStatus> block : CollectionConverters.asJava(status.rddBlocks().toSeq())) {
        if (block._1() instanceof RDDBlockId id && id.rddId() == rdd.id()) {
          bytes += block._2().memSize() + block._2().diskSize();
          cached.add(id.splitIndex());
        }
      }
    }
    if (cached.size() < rdd.getNumPartitions()) {
      LOG.warn("only {} of {} partitions of the packed rows are cached (not enough storage memory or disk): the others"
          + " are recomputed from the input on every pass; give the driver or executors more memory", cached.size(),
          rdd.getNumPartitions());
    }
    return bytes;
  }

  private static Dataset<Row> featureColumns(Dataset<?> dataset, String[] numeric, String[] categorical,
                                             String weight) {
    List<Column> columns = new ArrayList<>();
    for (String name : numeric) {
      columns.add(FeatureStatistics.column(name).cast("double"));
    }
    for (String name : categorical) {
      columns.add(FeatureStatistics.column(name).cast("string"));
    }
    if (weight != null) {
      columns.add(FeatureStatistics.column(weight).cast("double"));
    }
    return dataset.select(columns.toArray(new Column[0]));
  }

  @Override
  public KPrototypes copy(ParamMap extra) {
    KPrototypes copy = (KPrototypes) defaultCopy(extra);
    copy.startingPrototypes = startingPrototypes;
    copy.warmStart = warmStart;
    return copy;
  }

  public static MLReader<KPrototypes> read() {
    return new DefaultParamsReader<>();
  }

  public static KPrototypes load(String path) {
    return read().load(path);
  }
}
