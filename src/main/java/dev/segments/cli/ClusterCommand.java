package dev.segments.cli;

import dev.segments.cluster.KPrototypes;
import dev.segments.cluster.KPrototypesModel;
import dev.segments.pipeline.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Clusters any feature table a user has, outside the nightly pipeline. */
@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Cluster any table of mixed numeric and categorical columns with K-Prototypes. Prints k, gamma, "
        + "iterations, cost and cluster sizes; with --output writes the rows with their cluster (column "
        + "`prediction`) and distance, and the fitted model (loadable with KPrototypesModel.load).",
        "Example: bin/segment cluster --input customers.csv --k 4 --numeric age,income --categorical gender,city"})
public final class ClusterCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE.csv|DIR",
      description = "A CSV file with a header row, or a Parquet file or folder.")
  Path input;

  @Option(names = "--delimiter", defaultValue = ",", paramLabel = "CHAR",
      description = "Field separator of a CSV input, e.g. '\\t' for tab-separated files (default: ${DEFAULT-VALUE}).")
  String delimiter;

  @Option(names = "--k", required = true, description = "Number of clusters.")
  int k;

  @Option(names = "--numeric", split = ",", paramLabel = "COL", description = "Numeric columns.")
  List<String> numeric = List.of();

  @Option(names = "--categorical", split = ",", paramLabel = "COL", description = "Categorical columns.")
  List<String> categorical = List.of();

  @Option(names = "--init", defaultValue = "k-prototypes||",
      description = "Initialisation: random, huang, cao or k-prototypes|| (default: ${DEFAULT-VALUE}).")
  String init;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--num-inits", defaultValue = "1",
      description = "Independent starts run together; the lowest cost wins (default: ${DEFAULT-VALUE}).")
  int numInits;

  @Option(names = "--max-iter", defaultValue = "100", description = "Most iterations (default: ${DEFAULT-VALUE}).")
  int maxIter;

  @Option(names = "--tol", defaultValue = "1e-4",
      description = "Stop when the relative cost change is below this (default: ${DEFAULT-VALUE}).")
  double tol;

  @Option(names = "--gamma", description = "Weight of one categorical mismatch; default Huang's rule.")
  Double gamma;

  @Option(names = "--scale", defaultValue = "yeo-johnson-minmax",
      description = "Scaling of numeric columns: yeo-johnson-minmax (Yeo-Johnson on strongly skewed columns, then "
          + "min-max), yeo-johnson (the same, then z-score), zscore, minmax or none; see QUALITY.md "
          + "(default: ${DEFAULT-VALUE}).")
  String scale;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "Write assignments (Parquet, or CSV with --format csv) to DIR/assignments and the model to DIR/model.")
  Path output;

  @Option(names = "--format", defaultValue = "parquet", description = "parquet or csv (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--master", defaultValue = "local[*]",
      description = "Spark master when not given by spark-submit (default: ${DEFAULT-VALUE}).")
  String master;

  @Override
  public Integer call() throws java.io.IOException {
    if (numeric.isEmpty() && categorical.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "name at least one column with --numeric or --categorical");
    }
    SparkSession spark = SparkSessions.start("segment cluster", master, Map.of());
    Dataset<Row> table = typed(read(spark));
    KPrototypesModel model;
    try {
      KPrototypes estimator = new KPrototypes()
          .setK(k).setInitMode(init).setSeed(seed).setNumInits(numInits).setMaxIter(maxIter).setTol(tol)
          .setScaling(scale)
          .setNumericCols(numeric.toArray(String[]::new))
          .setCategoricalCols(categorical.toArray(String[]::new));
      if (gamma != null) {
        estimator.setGamma(gamma);
      }
      model = estimator.fit(table);
    } catch (IllegalArgumentException e) {
      // The estimator's checks (parameter values, k against the distinct rows) speak of what the flags asked for.
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    spec.commandLine().getOut().println(summary(model));
    if (output != null) {
      model.transform(table).write().mode(SaveMode.Overwrite).format(format)
          .option("header", "true").save(output.resolve("assignments").toString());
      model.write().overwrite().save(output.resolve("model").toString());
      spec.commandLine().getOut()
          .println("assignments: " + output.resolve("assignments") + "  model: " + output.resolve("model"));
    }
    return 0;
  }

  private Dataset<Row> read(SparkSession spark) {
    if (!Files.exists(input)) {
      throw new ParameterException(spec.commandLine(), "input " + input + " does not exist");
    }
    if (input.toString().toLowerCase().endsWith(".csv")) {
      return spark.read().option("header", "true").option("inferSchema", "true").option("sep", delimiter)
          .csv(input.toString());
    }
    return spark.read().parquet(input.toString());
  }

  private Dataset<Row> typed(Dataset<Row> table) {
    List<String> present = Arrays.asList(table.columns());
    for (String column : concat(numeric, categorical)) {
      if (!present.contains(column)) {
        throw new ParameterException(spec.commandLine(), "column '" + column + "' is not in " + input + "; it has "
            + present);
      }
    }
    Dataset<Row> typed = table;
    for (String column : numeric) {
      typed = typed.withColumn(column, functions.col(column).cast("double"));
    }
    for (String column : categorical) {
      Column text = functions.col(column).cast("string");
      typed = typed.withColumn(column, text);
    }
    return typed;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  static String summary(KPrototypesModel model) {
    return String.format("k=%d gamma=%.6g iterations=%d cost=%.6g sizes=%s",
        model.k(), model.gamma(), model.numIter(), model.cost(), Arrays.toString(model.clusterSizes()));
  }
}
