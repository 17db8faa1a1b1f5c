package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sale of a customer whose row was quarantined whole (a row the CSV reader could not split) names that cause and the
 * customer's row, not "unknown Customer_ID": the customer is in the sheet.
 */
class QuarantinedReferenceTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2025, 12, 15);

  @TempDir
  Path folder;

  @Test
  void aSaleOfACustomerWhoseRowCouldNotBeReadNamesThatRow() {
    SheetFolder sheets = new SheetFolder(folder);
    sheets.write("customers", SheetFolder.CUSTOMERS_HEADER, List.of(
        "C001,41,Female,London,Single,Bachelor's Degree,Lawyer,52000,English,Email,Morning", // 2
        "C002,41,Male,Leeds,Married,Doctorate,Doctor,30,000,English,Text,Evening", // 3: one cell too many
        "C003,41,Male,\"Leeds,Married,Doctorate,Doctor,30000,English,Text,Evening")); // 4: unclosed quote
    sheets.write("products", SheetFolder.PRODUCTS_HEADER, List.of("\"PR1\",\"WellBeing Cover\",\"Health\",\"Group\""));
    sheets.write("sales", SheetFolder.SALES_HEADER, List.of(
        "P01,C001,PR1,3/17/2022,500,1000", // 2
        "P02,C002,PR1,3/17/2022,500,1000", // 3
        "P03,C003,PR1,3/17/2022,500,1000", // 4
        "P04,C004,PR1,3/17/2022,500,1000")); // 5
    IngestResult result =
        ContractValidator.validate(sheets.readAll(), SheetFolder.tolerant(DataContract.defaultLayout()), RUN_DATE);
    List<QuarantinedCell> sales =
        QuarantinedCell.of(result.quarantine()).stream().filter(q -> q.sheet().equals("sales")).toList();
    assertEquals(3, sales.size(), sales::toString);
    assertTrue(sales.contains(new QuarantinedCell("sales", 3, "Customer_ID", "C002",
        "Customer_ID C002 was quarantined in sheet customers (row 3)")), sales::toString);
    assertTrue(sales.contains(new QuarantinedCell("sales", 4, "Customer_ID", "C003",
        "Customer_ID C003 was quarantined in sheet customers (row 4)")), sales::toString);
    assertTrue(sales.contains(new QuarantinedCell("sales", 5, "Customer_ID", "C004",
        "unknown Customer_ID (not in sheet customers)")), sales::toString);
  }
}
