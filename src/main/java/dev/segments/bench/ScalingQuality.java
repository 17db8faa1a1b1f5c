package dev.segments.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.segments.cluster.AdjustedRandIndex;
import dev.segments.cluster.KPrototypesModel;
import dev.segments.config.ClusteringSettings;
import dev.segments.features.FeatureSpec;
import dev.segments.features.FeatureTable;
import dev.segments.features.FeatureTableBuilder;
import dev.segments.generate.GeneratorOptions;
import dev.segments.generate.SheetGenerator;
import dev.segments.ingest.CsvSheetSource;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.IngestResult;
import dev.segments.pipeline.IngestStage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How well each numeric scaling recovers known groups, as the adjusted Rand index between the K-Prototypes clusters
 * (k = the number of groups, the pipeline's default fit settings otherwise) and the groups: on generated sheets of
 * several shapes, read through the pipeline's own contract and default features (the planted groups from
 * {@link SheetGenerator#GROUPS_FILE}), and on the public data sets with classes. Each configuration runs with
 * several seeds (the generated data's seed and the fit's seed); QUALITY.md holds the figures.
 */
public final class ScalingQuality {
  private static final Logger LOG = LoggerFactory.getLogger(ScalingQuality.class);
  static final List<String> SCALINGS = List.of("zscore", "yeo-johnson", "minmax", "yeo-johnson-minmax");

  /**
   * A shape of generated data.
   *
   * @param typos share of customers whose income was typed with two extra zeros (× 100), chosen by a hash of the
   *     customer id: the lone extreme values a hand-kept sheet has
   */
  record Shape(String name, int customers, long sales, double skew, double imbalance, double typos) {}

  static final List<Shape> SHAPES = List.of(
      new Shape("sample shape (3,500 customers)", 3_500, 8_000, 0, 1, 0),
      new Shape("heavy tails (skew 1)", 3_500, 8_000, 1, 1, 0),
      new Shape("heavy tails, unbalanced (skew 1, imbalance 3)", 3_500, 8_000, 1, 3, 0),
      new Shape("equal groups, mild tails (skew 0.5, imbalance 0)", 3_500, 8_000, 0.5, 0, 0),
      new Shape("larger (20,000 customers, skew 0.5)", 20_000, 45_000, 0.5, 1, 0),
      new Shape("sample shape, 0.2 % of incomes typed × 100", 3_500, 8_000, 0, 1, 0.002));

  /** One configuration's adjusted Rand indices, one per seed, by scaling. */
  public record Line(String data, long rows, int k, Map<String, double[]> ari) {}

  private ScalingQuality() {}

  /**
   * @param datasets the folder of the public data sets, or null to measure on generated data only
   * @param work a scratch folder for the generated sheets
   * @param only measure only the configurations whose name holds this text; null for all
   */
  public static List<Line> run(SparkSession spark, Path datasets, Path work, int seeds, String only) {
    List<Line> lines = new ArrayList<>();
    for (Shape shape : SHAPES) {
      if (only != null && !shape.name().contains(only)) {
        continue;
      }
      lines.add(measure(shape.name(), seeds, seed -> sheets(spark, shape, work.resolve(shape.customers() + "-"
          + shape.skew() + "-" + shape.imbalance() + "-" + seed), seed)));
    }
    if (datasets != null) {
      for (LabelledTable table : List.of(LabelledTable.creditApproval(spark, datasets),
          LabelledTable.heartDisease(spark, datasets), LabelledTable.germanCredit(spark, datasets),
          LabelledTable.soybean(spark, datasets))) {
        if (only != null && !table.name().contains(only)) {
          continue;
        }
        lines.add(measure(table.name(), seeds, seed -> table));
      }
    }
    return lines;
  }

  /** Every scaling on the table of each seed (1..seeds), fitted with that seed. */
  private static Line measure(String name, int seeds, IntFunction<LabelledTable> tableForSeed) {
    Map<String, double[]> ari = new LinkedHashMap<>();
    SCALINGS.forEach(s -> ari.put(s, new double[seeds]));
    long rows = 0;
    int k = 0;
    for (int seed = 1; seed <= seeds; seed++) {
      LabelledTable table = tableForSeed.apply(seed);
      rows = table.rows().count();
      k = table.classes();
      for (String scaling : SCALINGS) {
        ari.get(scaling)[seed - 1] = recovery(table, scaling, seed);
      }
    }
    Line line = new Line(name, rows, k, ari);
    ari.forEach((scaling, values) -> LOG.info("quality: {}: {} adjusted Rand index {} ± {}", name, scaling,
        String.format(Locale.ROOT, "%.3f", mean(values)), String.format(Locale.ROOT, "%.3f", std(values))));
    return line;
  }

  /** The adjusted Rand index between the groups and the clusters of one fit. */
  static double recovery(LabelledTable table, String scaling, long seed) {
    KPrototypesModel model = ClusteringSettings.defaults()
        .estimator(List.of(table.numeric()), List.of(table.categorical()))
        .setK(table.classes()).setSeed(seed).setScaling(scaling).fit(table.rows());
    List<Row> assigned = model.transform(table.rows()).select(col(LabelledTable.TRUTH), col("prediction"))
        .collectAsList();
    Map<String, Integer> codes = new HashMap<>();
    int[] truth = new int[assigned.size()];
    int[] predicted = new int[assigned.size()];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = codes.computeIfAbsent(assigned.get(i).getString(0), v -> codes.size());
      predicted[i] = assigned.get(i).getInt(1);
    }
    double index = AdjustedRandIndex.of(truth, predicted);
    LOG.info("quality: {} seed {} scaling {}: adjusted Rand index {}", table.name(), seed, scaling, index);
    return index;
  }

  /** Generated sheets through the pipeline's contract and default features, joined to the planted groups. */
  private static LabelledTable sheets(SparkSession spark, Shape shape, Path folder, long seed) {
    try {
      SheetGenerator.generate(folder, new GeneratorOptions(shape.customers(), shape.sales(),
          GeneratorOptions.DEFAULT_PRODUCTS, seed, 0, GeneratorOptions.DEFAULT_AS_OF, shape.skew(),
          shape.imbalance(), true));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DataContract contract = DataContract.defaultLayout();
    IngestResult ingested = IngestStage.ingest(spark, new CsvSheetSource(folder), contract,
        GeneratorOptions.DEFAULT_AS_OF);
    FeatureTable features = FeatureTableBuilder.build(ingested, contract, FeatureSpec.defaultSpec(),
        GeneratorOptions.DEFAULT_AS_OF);
    Dataset<Row> groups = spark.read().option("header", "true")
        .csv(folder.resolve(SheetGenerator.GROUPS_FILE).toString())
        .toDF("_planted_customer", LabelledTable.TRUTH);
    Dataset<Row> rows = features.rows().join(groups, col(FeatureTable.CUSTOMER_ID).equalTo(col("_planted_customer")))
        .drop("_planted_customer");
    if (shape.typos() > 0) {
      Column typed = pmod(xxhash64(col(FeatureTable.CUSTOMER_ID)), lit(100_000)).lt(shape.typos() * 100_000);
      rows = rows.withColumn("income", when(typed, col("income").multiply(100)).otherwise(col("income")));
    }
    rows = rows.localCheckpoint();
    return new LabelledTable(shape.name(), rows, features.numericFeatures().toArray(String[]::new),
        features.categoricalFeatures().toArray(String[]::new), SheetGenerator.plantedGroups());
  }

  /** The figures as a Markdown table: mean ± standard deviation over the seeds, per scaling. */
  public static String markdown(List<Line> lines, int seeds) {
    StringBuilder out = new StringBuilder("| data | rows | k |");
    SCALINGS.forEach(s -> out.append(' ').append(s).append(" |"));
    out.append("\n|---|---:|---:|");
    SCALINGS.forEach(s -> out.append("---:|"));
    out.append('\n');
    for (Line line : lines) {
      out.append(String.format(Locale.ROOT, "| %s | %,d | %d |", line.data(), line.rows(), line.k()));
      for (String s : SCALINGS) {
        double[] values = line.ari().get(s);
        out.append(String.format(Locale.ROOT, " %.3f ± %.3f |", mean(values), std(values)));
      }
      out.append('\n');
    }
    return out.append(String.format(Locale.ROOT, "%nAdjusted Rand index, mean ± standard deviation over %d seeds.%n",
        seeds)).toString();
  }

  static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  static double std(double[] values) {
    double m = mean(values);
    double sum = 0;
    for (double v : values) {
      sum += (v - m) * (v - m);
    }
    return Math.sqrt(sum / values.length);
  }
}
