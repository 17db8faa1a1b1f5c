package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A category or label cell longer than {@link CellChecker#MAX_CATEGORY_LENGTH} characters (a 5 MB City pasted into
 * a CSV) is quarantined, quoting its start: kept, every value of a clustered category would travel inside the model
 * to every Spark task. A value of exactly the limit is kept.
 */
class LongCategoryTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2025, 12, 15);
  private static final String CITY_5MB = "Leeds" + "x".repeat(5 * 1024 * 1024 - 5);
  private static final String CITY_AT_LIMIT = "Y".repeat(CellChecker.MAX_CATEGORY_LENGTH);

  @TempDir
  static Path folder;

  private static IngestResult result;
  private static List<QuarantinedCell> quarantined;

  @BeforeAll
  static void validateOnce() {
    SheetFolder sheets = new SheetFolder(folder);
    sheets.write("customers", SheetFolder.CUSTOMERS_HEADER, List.of(
        "C001,41,Female,London,Single,Bachelor's Degree,Lawyer,52000,English,Email,Morning", // 2
        "C002,41,Male," + CITY_5MB + ",Married,Doctorate,Doctor,30000,English,Text,Evening", // 3
        "C003,41,Male," + CITY_AT_LIMIT + ",Married,Doctorate,Doctor,30000,English,Text,Evening", // 4
        "C004,41,Male,frank@example.com" + "z".repeat(2_000) + ",Married,Doctorate,Doctor,30000,English,Text,Evening")); // 5
    sheets.write("products", SheetFolder.PRODUCTS_HEADER, List.of("\"PR1\",\"WellBeing Cover\",\"Health\",\"Group\""));
    sheets.write("sales", SheetFolder.SALES_HEADER, List.of("P01,C001,PR1,3/17/2022,500,1000"));
    result = ContractValidator.validate(sheets.readAll(), SheetFolder.tolerant(DataContract.defaultLayout()), RUN_DATE);
    quarantined = QuarantinedCell.of(result.quarantine());
  }

  @Test
  void aCategoryLongerThanTheLimitIsQuarantinedQuotingItsStart() {
    QuarantinedCell expected = new QuarantinedCell("customers", 3, "City", CITY_5MB.substring(0, 100) + "…",
        "City is 5,242,880 characters long; a category or label holds at most 1,000");
    assertTrue(quarantined.contains(expected), () -> "missing the 5 MB City in " + quarantined.stream()
        .map(c -> c.row() + " " + c.column() + " " + c.reason()).toList());
  }

  @Test
  void anOverLongValueThatLooksPersonalIsQuotedMasked() {
    assertTrue(quarantined.stream().anyMatch(c -> c.row() == 5 && c.column().equals("City")
        && c.value().equals(PersonalDataPattern.MASK)), quarantined::toString);
  }

  @Test
  void aValueOfExactlyTheLimitIsKept() {
    assertEquals(List.of("C001", "C003"), result.customers().collectAsList().stream()
        .map(r -> r.<String>getAs(0)).sorted().toList());
  }
}
