package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text cells as issue 20's probe wrote them: a key, category or label longer than {@link CellChecker#MAX_TEXT_LENGTH}
 * characters (a 5 MB City, a 1 MB Customer_ID) and a cell holding a NUL byte are quarantined, quoted without harm; a
 * key wrapped in no-break or zero-width spaces, and a City in another Unicode form, are read as the value a person
 * sees. Before, the 5 MB City travelled inside the model to every task, the 1 MB id and the NUL were published, the
 * wrapped keys lost their sales as "unknown Customer_ID", and Zürich was two categories.
 */
class TextCellTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2025, 12, 15);
  private static final String CITY_5MB = "Leeds" + "x".repeat(5 * 1024 * 1024 - 5);
  private static final String CITY_AT_LIMIT = "Y".repeat(CellChecker.MAX_TEXT_LENGTH);
  private static final String ZURICH_NFD = Normalizer.normalize("Zürich", Normalizer.Form.NFD);
  private static final String CUSTOMER = ",41,Male,%s,Married,Doctorate,Doctor,30000,English,Text,Evening";

  @TempDir
  static Path folder;

  private static IngestResult result;
  private static List<QuarantinedCell> quarantined;

  private static String customer(String id, String city) {
    return id + CUSTOMER.formatted(city);
  }

  @BeforeAll
  static void validateOnce() {
    SheetFolder sheets = new SheetFolder(folder);
    sheets.write("customers", SheetFolder.CUSTOMERS_HEADER, List.of(
        customer("C001", "Zürich"), // 2
        customer("C002", CITY_5MB), // 3
        customer("C003", CITY_AT_LIMIT), // 4
        customer("C004", "frank@example.com" + "z".repeat(2_000)), // 5
        customer("C9" + "9".repeat(1024 * 1024), "Leeds"), // 6
        customer("C006", "Lee\u0000ds"), // 7
        customer("\u00a0C007\u200b", ZURICH_NFD))); // 8
    sheets.write("products", SheetFolder.PRODUCTS_HEADER, List.of("\"PR1\",\"WellBeing Cover\",\"Health\",\"Group\""));
    sheets.write("sales", SheetFolder.SALES_HEADER, List.of(
        "P01,C001,PR1,3/17/2022,500,1000", // 2
        "P02,C007,PR1,3/17/2022,500,1000")); // 3
    result = ContractValidator.validate(sheets.readAll(), SheetFolder.tolerant(DataContract.defaultLayout()), RUN_DATE);
    quarantined = QuarantinedCell.of(result.quarantine());
  }

  private static QuarantinedCell cell(long row, String column) {
    return quarantined.stream().filter(c -> c.row() == row && c.column().equals(column)).findFirst()
        .orElseThrow(() -> new AssertionError("row " + row + " " + column + " is not quarantined: " + quarantined
            .stream().map(c -> c.row() + " " + c.column() + " " + c.reason()).toList()));
  }

  @Test
  void aCategoryLongerThanTheLimitIsQuarantinedQuotingItsStart() {
    assertEquals(new QuarantinedCell("customers", 3, "City", CITY_5MB.substring(0, 100) + "…",
        "City is 5,242,880 characters long; a key, category or label holds at most 1,000"), cell(3, "City"));
  }

  @Test
  void anOverLongKeyIsQuarantinedToo() {
    assertEquals("Customer_ID is 1,048,578 characters long; a key, category or label holds at most 1,000",
        cell(6, "Customer_ID").reason());
  }

  @Test
  void anOverLongValueThatLooksPersonalIsQuotedMasked() {
    assertEquals(PersonalDataPattern.MASK, cell(5, "City").value());
  }

  @Test
  void aNulByteIsQuarantinedAndQuotedWithoutIt() {
    assertEquals(new QuarantinedCell("customers", 7, "City", "Lee\uFFFDds",
        "City holds a control character (U+0000 at character 4): the cell is likely corrupt"), cell(7, "City"));
  }

  @Test
  void keysWrappedInInvisibleSpacesAndAnotherUnicodeFormReadAsTheValueSeen() {
    Map<String, String> cities = result.customers().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs(0), (Row r) -> r.<String>getAs("City")));
    assertEquals(List.of("C001", "C003", "C007"), cities.keySet().stream().sorted().toList(),
        "kept: the clean rows, the value of exactly the limit, the wrapped key");
    assertEquals("Zürich", cities.get("C007"));
    assertEquals(cities.get("C001"), cities.get("C007"), "one Zürich, whichever way it was typed");
    assertTrue(quarantined.stream().noneMatch(c -> c.sheet().equals("sales")), "both sales find their customer: "
        + quarantined);
  }
}
