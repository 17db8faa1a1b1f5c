package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys and references that look like an e-mail address or a phone number are quarantined, masked, like a category
 * holding one; every quarantined value is masked once, when the cell is checked, so no later stage scans it again.
 */
class PersonalKeysTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2025, 12, 15);

  @TempDir
  static Path folder;

  private static IngestResult result;
  private static List<QuarantinedCell> quarantined;

  @BeforeAll
  static void validateOnce() {
    SheetFolder sheets = new SheetFolder(folder);
    sheets.write("customers", SheetFolder.CUSTOMERS_HEADER, List.of(
        "C001,41,Female,London,Single,Bachelor's Degree,Lawyer,52000,English,Email,Morning", // 2
        "frank@example.com,41,Male,Leeds,Married,Doctorate,Doctor,30000,English,Text,Evening", // 3
        "+447700900111,41,Male,Leeds,Married,Doctorate,Doctor,30000,English,Text,Evening")); // 4
    sheets.write("products", SheetFolder.PRODUCTS_HEADER, List.of("\"PR1\",\"WellBeing Cover\",\"Health\",\"Group\""));
    sheets.write("sales", SheetFolder.SALES_HEADER, List.of(
        "P01,C001,PR1,3/17/2022,500,1000", // 2
        "judy@example.com,C001,PR1,3/17/2022,500,1000", // 3
        "P03,frank@example.com,PR1,3/17/2022,500,1000", // 4
        "P04,C001,PR1,+447700900111,500,1000")); // 5: a phone number in a date column
    result = ContractValidator.validate(sheets.readAll(), SheetFolder.tolerant(DataContract.defaultLayout()), RUN_DATE);
    quarantined = QuarantinedCell.of(result.quarantine());
  }

  private static void assertMasked(String sheet, long row, String column, String reason) {
    QuarantinedCell expected = new QuarantinedCell(sheet, row, column, PersonalDataPattern.MASK, reason);
    assertTrue(quarantined.contains(expected), () -> "missing " + expected + " in " + quarantined);
  }

  @Test
  void keysAndReferencesThatLookPersonalAreQuarantinedMasked() {
    String personal = " looks like an e-mail address or phone number (personal data is not read)";
    assertMasked("customers", 3, "Customer_ID", "Customer_ID" + personal);
    assertMasked("customers", 4, "Customer_ID", "Customer_ID" + personal);
    assertMasked("sales", 3, "Policy_ID", "Policy_ID" + personal);
    assertMasked("sales", 4, "Customer_ID", "Customer_ID" + personal);
    assertEquals(List.of("C001"), result.customers().collectAsList().stream().map(r -> r.<String>getAs(0)).toList());
    assertEquals(List.of("P01"), result.sales().collectAsList().stream().map(r -> r.<String>getAs(0)).toList());
  }

  @Test
  void noQuarantinedOrKeptValueLooksPersonal() {
    assertMasked("sales", 5, "Purchase_Date",
        "Purchase_Date is not a date (expected M/D/YYYY, D/M/YYYY, YYYY-MM-DD or a sheet serial number)");
    List<Row> rows = new ArrayList<>(result.quarantine().collectAsList());
    rows.addAll(result.customers().collectAsList());
    rows.addAll(result.sales().collectAsList());
    for (Row row : rows) {
      for (int i = 0; i < row.size(); i++) {
        Object value = row.get(i);
        assertFalse(value instanceof String text && PersonalDataPattern.looksPersonal(text), row::toString);
      }
    }
  }

  @Test
  void theQuarantineTableRunsNoPatternOfItsOwn() {
    String plan = result.quarantine().queryExecution().optimizedPlan().toString().toLowerCase(Locale.ROOT);
    assertFalse(plan.contains("rlike"), plan);
  }
}
