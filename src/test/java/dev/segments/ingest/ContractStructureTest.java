package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.contract.ContractException;
import dev.segments.contract.SheetCounts;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing sheets and columns, loosely matching headers, and a date column that cannot tell its own order. */
class ContractStructureTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2025, 12, 15);

  @TempDir
  static Path folder;

  private static SheetFolder sheets;

  @BeforeAll
  static void writeSheets() {
    sheets = new SheetFolder(folder);
    sheets.write("customers", " customer_id ,AGE,Gender,City,Marital_Status,Education,Occupation,Income,"
        + "Preferred_Language,Preferred_Channel,Preferred_Time", List.of(
        "C001,41,Female,London,Single,Bachelor's Degree,Lawyer,52000,English,Email,Morning"));
    sheets.write("products", SheetFolder.PRODUCTS_HEADER, List.of("\"PR1\",\"WellBeing Cover\",\"Health\",\"Group\""));
    sheets.write("sales", SheetFolder.SALES_HEADER, List.of(
        "P01,C001,PR1,5/4/2022,500,1000", // 2
        "P02,C001,PR1,2022-01-01,500,1000", // 3
        "P03,C001,PR1,6/7/2021,500,1000")); // 4
    sheets.write("no_premium", "Policy_ID,Customer_ID,Product_ID,Purchase_Date,Coverage", List.of(
        "P01,C001,PR1,5/4/2022,1000"));
  }

  @Test
  void aMissingSheetIsNamed() {
    Map<String, Dataset<Row>> raw = sheets.read("customers", "products");
    MissingSheetException error = assertThrows(MissingSheetException.class,
        () -> ContractValidator.validate(raw, DataContract.defaultLayout(), RUN_DATE));
    assertEquals("sheet 'sales' not found in the sheets read (customers, products)", error.getMessage());
  }

  @Test
  void aMissingRequiredColumnIsNamedWithTheColumnsFound() {
    Map<String, Dataset<Row>> raw = new LinkedHashMap<>(sheets.read("customers", "products"));
    raw.put("sales", sheets.read("no_premium").get("no_premium"));
    ContractException error = assertThrows(ContractException.class,
        () -> ContractValidator.validate(raw, DataContract.defaultLayout(), RUN_DATE));
    assertEquals("sheet 'sales' has no column 'Premium', which the data contract requires; columns found: "
        + "Policy_ID, Customer_ID, Product_ID, Purchase_Date, Coverage", error.getMessage());
  }

  @Test
  void twoHeadersThatBothFitOneColumnStopTheRunEvenWhenOneIsExact() {
    sheets.write("two_ids", "Customer_ID,customer id," + SheetFolder.CUSTOMERS_HEADER.substring("Customer_ID,".length()),
        List.of("C001,C002,41,Female,London,Single,Bachelor's Degree,Lawyer,52000,English,Email,Morning"));
    Map<String, Dataset<Row>> raw = new LinkedHashMap<>(sheets.read("products", "sales"));
    raw.put("customers", sheets.read("two_ids").get("two_ids"));
    ContractException error = assertThrows(ContractException.class,
        () -> ContractValidator.validate(raw, DataContract.defaultLayout(), RUN_DATE));
    assertEquals("sheet 'customers' has several columns that could be 'Customer_ID': Customer_ID, customer id;"
        + " rename all but one", error.getMessage());
  }

  /** Issue 20's probe: a NUL byte in a header made its column silently blank; a no-break space made it not found. */
  @Test
  void aHeaderWithAControlCharacterStopsTheRunAndANoBreakSpaceIsASpace() {
    String rest = SheetFolder.CUSTOMERS_HEADER.substring("Customer_ID,Age,Gender,City,".length());
    sheets.write("nul_header", "Customer_ID,Age,Gender,Ci\u0000ty," + rest,
        List.of("C001,41,Female,London,Single,Bachelor's Degree,Lawyer,52000,English,Email,Morning"));
    ContractException error = assertThrows(ContractException.class, () -> sheets.read("nul_header"));
    assertEquals("sheet 'nul_header' has a header holding a control character: 'Ci\uFFFDty' (column 4); the file is"
        + " likely corrupt", error.getMessage());
    Map<String, Dataset<Row>> raw = new LinkedHashMap<>(sheets.read("products", "sales"));

    sheets.write("nbsp_header", "Customer\u00a0ID,Age,Gender,City," + rest,
        List.of("C001,41,Female,London,Single,Bachelor's Degree,Lawyer,52000,English,Email,Morning"));
    raw.put("customers", sheets.read("nbsp_header").get("nbsp_header"));
    IngestResult read = ContractValidator.validate(raw, SheetFolder.tolerant(DataContract.defaultLayout()), RUN_DATE);
    assertEquals("C001", read.customers().first().getAs("Customer_ID"));
  }

  @Test
  void headersDifferingInCaseOrSpacesMatchAndAmbiguousDatesNeedAnOrder() {
    IngestResult auto = ContractValidator.validate(sheets.readAll(),
        SheetFolder.tolerant(DataContract.defaultLayout()), RUN_DATE);
    Row customer = auto.customers().first();
    assertEquals("C001", customer.getAs("Customer_ID"));
    assertEquals(41, customer.<Integer>getAs("Age"));
    List<QuarantinedCell> quarantined = QuarantinedCell.of(auto.quarantine());
    String advice = " could be day-first or month-first and Purchase_Date has no unambiguous dates to tell which;"
        + " set date_order to DAY_FIRST or MONTH_FIRST";
    assertEquals(2, quarantined.size(), quarantined::toString);
    assertTrue(quarantined.contains(new QuarantinedCell("sales", 2, "Purchase_Date", "5/4/2022", "date 5/4/2022" + advice)));
    assertTrue(quarantined.contains(new QuarantinedCell("sales", 4, "Purchase_Date", "6/7/2021", "date 6/7/2021" + advice)));

    IngestResult dayFirst = ContractValidator.validate(sheets.readAll(),
        SheetFolder.withDateOrder(DataContract.defaultLayout(), DateOrder.DAY_FIRST), RUN_DATE);
    assertEquals(0, dayFirst.counts().stream().mapToLong(SheetCounts::quarantined).sum());
    Map<String, Date> dates = new LinkedHashMap<>();
    dayFirst.sales().orderBy("Policy_ID").collectAsList()
        .forEach(r -> dates.put(r.getAs("Policy_ID"), r.getAs("Purchase_Date")));
    assertEquals(Map.of("P01", Date.valueOf("2022-04-05"), "P02", Date.valueOf("2022-01-01"),
        "P03", Date.valueOf("2021-07-06")), dates);
  }
}
