package dev.segments.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.contract.SheetCounts;
import dev.segments.ingest.ContractValidator;
import dev.segments.ingest.CsvSheetSource;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.IngestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed sample in {@code data/sample} is exactly what the generator makes with its default options, and the
 * contract catches every bad row the generator planted in it, for the reason it was planted, and nothing else.
 */
class SampleDataTest {
  private static final Path COMMITTED = Path.of("data", "sample");
  private static final List<String> FILES = List.of("customers.csv", "products.csv", "sales.csv");

  @TempDir
  static Path regenerated;

  private static GenerationSummary summary;

  @BeforeAll
  static void regenerate() throws IOException {
    summary = SheetGenerator.generate(regenerated, GeneratorOptions.defaults());
  }

  @Test
  void theCommittedSampleIsWhatTheGeneratorMakes() throws IOException {
    for (String file : FILES) {
      assertArrayEquals(Files.readAllBytes(COMMITTED.resolve(file)), Files.readAllBytes(regenerated.resolve(file)),
          file + " differs from the generator's output: regenerate data/sample");
    }
  }

  @Test
  void theSampleHasTheAskedSizesAndEveryKindOfBadRow() throws IOException {
    GeneratorOptions options = GeneratorOptions.defaults();
    long badCustomers = Math.round(options.customers() * options.badShare());
    long badSales = Math.round(options.sales() * options.badShare());
    assertEquals(Map.of("customers", options.customers() + badCustomers, "products", (long) options.products(),
        "sales", options.sales() + badSales), summary.rowsWritten());
    for (String sheet : List.of("customers", "products", "sales")) {
      assertEquals(summary.rowsWritten().get(sheet), dataLines(COMMITTED.resolve(sheet + ".csv")), sheet);
    }
    assertEquals(badCustomers, summary.plantedIn("customers"));
    assertEquals(badSales, summary.plantedIn("sales"));
    summary.planted().forEach((kind, count) -> assertTrue(count > 0, kind + " was not planted"));
  }

  @Test
  void theContractQuarantinesExactlyThePlantedRows() {
    IngestResult result = ContractValidator.validate(
        new CsvSheetSource(COMMITTED).read(LocalSpark.session(), List.of("customers", "products", "sales")),
        DataContract.defaultLayout(), GeneratorOptions.DEFAULT_AS_OF);

    for (SheetCounts counts : result.counts()) {
      assertEquals(summary.plantedIn(counts.sheet()), counts.quarantined(), counts.sheet());
      assertEquals(summary.rowsWritten().get(counts.sheet()), counts.read(), counts.sheet());
    }
    List<Row> quarantined = result.quarantine().collectAsList();
    assertEquals(summary.plantedIn("customers") + summary.plantedIn("sales"), quarantined.size(),
        "each planted row breaks exactly one rule");
    Map<PlantedDefect, Long> caught = new EnumMap<>(PlantedDefect.class);
    for (PlantedDefect kind : PlantedDefect.values()) {
      Predicate<Row> expected = expectedReason(kind);
      caught.put(kind, quarantined.stream().filter(expected).count());
    }
    assertEquals(summary.planted(), caught);
  }

  /** How the contract should explain each planted defect: sheet, column and reason. */
  private static Predicate<Row> expectedReason(PlantedDefect kind) {
    return switch (kind) {
      case DUPLICATE_CUSTOMER_ID -> is("customers", "Customer_ID", r -> r.startsWith("duplicate key HL"));
      case BLANK_CUSTOMER_ID -> is("customers", "Customer_ID", "Customer_ID is required but blank"::equals);
      case AGE_OUT_OF_RANGE -> is("customers", "Age", "Age must be between 16 and 120"::equals);
      case AGE_NOT_A_NUMBER -> is("customers", "Age", "Age is not a number"::equals);
      case INCOME_NOT_A_NUMBER -> is("customers", "Income", "Income is not a number"::equals);
      case DUPLICATE_POLICY_ID -> is("sales", "Policy_ID", r -> r.startsWith("duplicate key P"));
      case UNKNOWN_CUSTOMER -> is("sales", "Customer_ID", "unknown Customer_ID (not in sheet customers)"::equals);
      case UNKNOWN_PRODUCT -> is("sales", "Product_ID", "unknown Product_ID (not in sheet products)"::equals);
      case QUARANTINED_CUSTOMER -> is("sales", "Customer_ID",
          r -> r.matches("Customer_ID HL\\d+ was quarantined in sheet customers \\(row \\d+\\)"));
      case BLANK_PREMIUM -> is("sales", "Premium", "Premium is required but blank"::equals);
      case PREMIUM_NOT_A_NUMBER -> is("sales", "Premium", "Premium is not a number"::equals);
      case NEGATIVE_PREMIUM -> is("sales", "Premium", "Premium must be greater than 0"::equals);
      case FUTURE_DATE -> is("sales", "Purchase_Date", r -> r.endsWith(" is after the run date 2025-12-15"));
      case IMPOSSIBLE_DATE -> is("sales", "Purchase_Date", r -> r.startsWith("date 2/30/") && r.endsWith("does not exist"));
      case TWO_DIGIT_YEAR -> is("sales", "Purchase_Date", r -> r.endsWith("has a two-digit year; write the year in full"));
    };
  }

  private static Predicate<Row> is(String sheet, String column, Predicate<String> reason) {
    return row -> sheet.equals(row.getAs("sheet")) && column.equals(row.getAs("column"))
        && reason.test(row.getAs("reason"));
  }

  private static long dataLines(Path file) throws IOException {
    try (var lines = Files.lines(file)) {
      return lines.count() - 1;
    }
  }
}
