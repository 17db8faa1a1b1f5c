package dev.segments.cli;

import dev.segments.generate.GenerationSummary;
import dev.segments.generate.GeneratorOptions;
import dev.segments.generate.SheetGenerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Writes sample sheets (customers, products, sales) with planted customer groups and a few bad rows. No Spark. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write sample sheets in the default layout (customers.csv, products.csv, sales.csv) with planted "
        + "customer groups and a small share of deliberately bad rows. The same options give the same files.")
public final class GenerateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--output", paramLabel = "DIR", defaultValue = "data/generated",
      description = "Folder to write the three CSV files into (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--customers", paramLabel = "N", defaultValue = "" + GeneratorOptions.DEFAULT_CUSTOMERS,
      description = "Good customer rows (default: ${DEFAULT-VALUE}).")
  int customers;

  @Option(names = "--sales", paramLabel = "N", defaultValue = "" + GeneratorOptions.DEFAULT_SALES,
      description = "Good sales lines, up to tens of millions; written as a stream (default: ${DEFAULT-VALUE}).")
  long sales;

  @Option(names = "--products", paramLabel = "N", defaultValue = "" + GeneratorOptions.DEFAULT_PRODUCTS,
      description = "Product rows (default: ${DEFAULT-VALUE}).")
  int products;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "" + GeneratorOptions.DEFAULT_SEED,
      description = "Random seed; the same seed and options give byte-identical files (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--bad-share", paramLabel = "X", defaultValue = "" + GeneratorOptions.DEFAULT_BAD_SHARE,
      description = "Bad rows planted in customers and sales, as a share of their good rows, 0 to 0.5; a run "
          + "fails above the contract's quarantine threshold (default: ${DEFAULT-VALUE}).")
  double badShare;

  @Option(names = "--skew", paramLabel = "X", defaultValue = "" + GeneratorOptions.DEFAULT_SKEW,
      description = "Spread of a per-customer log-normal factor on income and premiums, 0 to 3: 0 keeps each "
          + "group's amounts uniform in its range, 1 gives heavy right tails (default: ${DEFAULT-VALUE}).")
  double skew;

  @Option(names = "--imbalance", paramLabel = "X", defaultValue = "" + GeneratorOptions.DEFAULT_IMBALANCE,
      description = "Group shares are the planted shares raised to this power: 1 keeps them, 0 makes the groups "
          + "equal, 3 lets the two largest hold most customers (default: ${DEFAULT-VALUE}).")
  double imbalance;

  @Option(names = "--groups",
      description = "Also write " + SheetGenerator.GROUPS_FILE + ": each good customer's planted group (Customer_ID,"
          + "group), to measure how well segments recover them. Not a sheet; the pipeline ignores it.")
  boolean groups;

  @Override
  public Integer call() throws Exception {
    GeneratorOptions options;
    try {
      options = new GeneratorOptions(customers, sales, products, seed, badShare, GeneratorOptions.DEFAULT_AS_OF,
          skew, imbalance, groups);
      SheetGenerator.requireRoom(output, options);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    GenerationSummary summary = SheetGenerator.generate(output, options);
    spec.commandLine().getOut().print("Wrote " + output + ":\n" + summary.describe());
    return 0;
  }
}
