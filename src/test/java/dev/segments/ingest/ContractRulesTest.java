package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.contract.ContractException;
import dev.segments.contract.SheetCounts;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One small set of sheets in which each bad row breaks one rule (C009 breaks two), validated once; each test checks
 * one rule: the breaking row is in quarantine with sheet, row number, column and reason, and good rows are kept.
 */
class ContractRulesTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2025, 12, 15);

  @TempDir
  static Path folder;

  private static Map<String, Dataset<Row>> raw;
  private static IngestResult result;
  private static List<QuarantinedCell> quarantined;
  private static Map<String, Row> customers;
  private static Map<String, Row> products;
  private static Map<String, Row> sales;

  @BeforeAll
  static void validateOnce() {
    SheetFolder sheets = new SheetFolder(folder);
    sheets.write("customers", SheetFolder.CUSTOMERS_HEADER + ",Email,Notes", List.of(
        "C001,41,Female,London,Single,Bachelor's Degree,Lawyer,\"£52,000.00\",English,Email,Morning,a@example.com,x", // 2
        "C002,41.0,Male,  ,Married,Doctorate,Doctor,30000,English,Text,Evening,b@example.com,y", // 3: blank City
        "C003,41.5,Male,Leeds,Married,Doctorate,Doctor,30000,English,Text,Evening,,", // 4
        "C004,forty,Male,Leeds,Married,Doctorate,Doctor,30000,English,Text,Evening,,", // 5
        "C005,130,Male,Leeds,Married,Doctorate,Doctor,30000,English,Text,Evening,,", // 6
        "C006,30,Male,Leeds,Married,Doctorate,Doctor,n/a,English,Text,Evening,,", // 7
        "C001,30,Male,Leeds,Married,Doctorate,Doctor,30000,English,Text,Evening,,", // 8: duplicate key
        ",30,Male,Leeds,Married,Doctorate,Doctor,30000,English,Text,Evening,,", // 9: blank key
        "C007,30,Male,Leeds,Married,Doctorate,Doctor,-5,English,Text,Evening,,", // 10
        "C008,,Male,Leeds,Married,Doctorate,Doctor,,English,Text,Evening,,", // 11: blank optional numbers
        "C009,forty,Male,Leeds,Married,Doctorate,Doctor,n/a,English,Text,Evening,,")); // 12: two problems
    sheets.write("products", SheetFolder.PRODUCTS_HEADER, List.of(
        "\"PR1\",\"WellBeing Cover\",\"Health\",\"Group\"", // 2
        "\"PR2\",\"LifeShield, Family\",\"Life\",\"Family\"", // 3: comma inside quotes
        "\"PR3\",\"DriveSure\",\"\",\"Group\"", // 4: blank required category
        "\"PR4\",\"MotorShield\",\"Auto\",\"Individual\"")); // 5
    sheets.write("sales", SheetFolder.SALES_HEADER, List.of(
        "P01,C001,PR1,3/17/2022,\"£1,204.50\",100000", // 2
        "P02,C002,PR2,14/04/2007,500,", // 3
        "P03,C001,PR1,5/4/2022,500,1000", // 4: ambiguous, month-first majority
        "P04,C001,PR4,2022-06-01,500,1000", // 5
        "P05,C001,PR1,44927,500,1000", // 6
        "P06,C001,PR1,3/17/2032,500,1000", // 7
        "P07,C001,PR1,31/02/2022,500,1000", // 8
        "P08,C001,PR1,5/4/22,500,1000", // 9
        "P09,C001,PR1,soon,500,1000", // 10
        "P10,C001,PR1,1/30/2020,-5,1000", // 11
        "P11,C001,PR1,12/25/2021,,1000", // 12
        "P12,C001,PR1,12/25/2021,abc,1000", // 13
        "P13,C001,PR9,12/25/2021,500,1000", // 14
        "P14,C003,PR1,12/25/2021,500,1000", // 15
        "P15,C999,PR1,12/25/2021,500,1000", // 16
        "P16,C001,PR3,12/25/2021,500,1000", // 17
        "P01,C002,PR1,12/25/2021,500,1000", // 18
        "P17,C001,PR1,1/30/2020,0,1000", // 19
        "P18,C001,PR1,1/30/2020,100,0", // 20
        "P19,C008,PR1,,100,1000")); // 21
    raw = sheets.readAll();
    result = ContractValidator.validate(raw, SheetFolder.tolerant(DataContract.defaultLayout()), RUN_DATE);
    quarantined = QuarantinedCell.of(result.quarantine());
    customers = keptBy(result.customers(), "Customer_ID");
    products = keptBy(result.products(), "Product_ID");
    sales = keptBy(result.sales(), "Policy_ID");
  }

  private static void assertQuarantined(String sheet, long row, String column, String value, String reason) {
    QuarantinedCell expected = new QuarantinedCell(sheet, row, column, value, reason);
    assertTrue(quarantined.contains(expected), () -> "missing " + expected + " in " + quarantined.stream()
        .filter(q -> q.sheet().equals(sheet) && q.row() == row).toList());
  }

  private static Map<String, Row> keptBy(Dataset<Row> sheet, String key) {
    return sheet.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs(key), r -> r));
  }

  @Test
  void requiredCellsMustNotBeBlank() {
    assertQuarantined("customers", 9, "Customer_ID", null, "Customer_ID is required but blank");
    assertQuarantined("products", 4, "Product_Type", null, "Product_Type is required but blank");
    assertQuarantined("sales", 12, "Premium", null, "Premium is required but blank");
    assertQuarantined("sales", 21, "Purchase_Date", null, "Purchase_Date is required but blank");
  }

  @Test
  void wholeNumbersAcceptATrailingZeroOnly() {
    assertQuarantined("customers", 4, "Age", "41.5", "Age is not a whole number");
    assertQuarantined("customers", 5, "Age", "forty", "Age is not a number");
    assertEquals(41, customers.get("C002").<Integer>getAs("Age"));
  }

  @Test
  void numbersMustBeWithinTheirBounds() {
    assertQuarantined("customers", 6, "Age", "130", "Age must be between 16 and 120");
    assertQuarantined("customers", 10, "Income", "-5", "Income must be at least 0");
  }

  @Test
  void amountsMayCarryCurrencyButNotText() {
    assertQuarantined("customers", 7, "Income", "n/a", "Income is not a number");
    assertQuarantined("sales", 13, "Premium", "abc", "Premium is not a number");
    assertEquals(52000.0, customers.get("C001").<Double>getAs("Income"));
    assertEquals(1204.5, sales.get("P01").<Double>getAs("Premium"));
  }

  @Test
  void positiveAmountsMustBeAboveZero() {
    assertQuarantined("sales", 11, "Premium", "-5", "Premium must be greater than 0");
    assertQuarantined("sales", 19, "Premium", "0", "Premium must be greater than 0");
    assertQuarantined("sales", 20, "Coverage", "0", "Coverage must be greater than 0");
  }

  @Test
  void datesAreReadByTheResolutionRule() {
    assertEquals(Date.valueOf("2022-03-17"), sales.get("P01").getAs("Purchase_Date"));
    assertEquals(Date.valueOf("2007-04-14"), sales.get("P02").getAs("Purchase_Date"));
    // month-first: 3/17/2022, 1/30/2020 (x3), 12/25/2021 (x6), 3/17/2032 outvote day-first 14/04/2007 and 31/02/2022
    assertEquals(Date.valueOf("2022-05-04"), sales.get("P03").getAs("Purchase_Date"));
    assertEquals(Date.valueOf("2022-06-01"), sales.get("P04").getAs("Purchase_Date"));
    assertEquals(Date.valueOf("2023-01-01"), sales.get("P05").getAs("Purchase_Date"));
  }

  @Test
  void unreadableDatesAreQuarantined() {
    assertQuarantined("sales", 8, "Purchase_Date", "31/02/2022", "date 31/02/2022 does not exist");
    assertQuarantined("sales", 9, "Purchase_Date", "5/4/22", "date 5/4/22 has a two-digit year; write the year in full");
    assertQuarantined("sales", 10, "Purchase_Date", "soon",
        "Purchase_Date is not a date (expected M/D/YYYY, D/M/YYYY, YYYY-MM-DD or a sheet serial number)");
  }

  @Test
  void datesMayNotBeAfterTheRunDate() {
    assertQuarantined("sales", 7, "Purchase_Date", "3/17/2032", "date 3/17/2032 is after the run date 2025-12-15");
  }

  @Test
  void keysAreUniqueAndTheFirstRowKeepsIt() {
    assertQuarantined("customers", 8, "Customer_ID", "C001", "duplicate key C001, first seen at row 2");
    assertQuarantined("sales", 18, "Policy_ID", "P01", "duplicate key P01, first seen at row 2");
    assertEquals("C001", sales.get("P01").getAs("Customer_ID"));
  }

  @Test
  void referencesMustNameAGoodRow() {
    assertQuarantined("sales", 14, "Product_ID", "PR9", "unknown Product_ID (not in sheet products)");
    assertQuarantined("sales", 16, "Customer_ID", "C999", "unknown Customer_ID (not in sheet customers)");
    assertQuarantined("sales", 15, "Customer_ID", "C003", "Customer_ID C003 was quarantined in sheet customers");
    assertQuarantined("sales", 17, "Product_ID", "PR3", "Product_ID PR3 was quarantined in sheet products");
  }

  @Test
  void blankCategoriesReadAsUnknownAndBlankOptionalNumbersAsNull() {
    assertEquals("unknown", customers.get("C002").getAs("City"));
    assertNull(customers.get("C008").getAs("Age"));
    assertNull(customers.get("C008").getAs("Income"));
    assertNull(sales.get("P02").getAs("Coverage"));
    assertEquals("LifeShield, Family", products.get("PR2").getAs("Product_Name"));
  }

  @Test
  void aRowWithSeveralProblemsIsQuarantinedOnceButExplainedFully() {
    assertQuarantined("customers", 12, "Age", "forty", "Age is not a number");
    assertQuarantined("customers", 12, "Income", "n/a", "Income is not a number");
    // customers rows 4,5,6,7,8,9,10,12 are bad; rows 2,3,11 good: 11 read, 3 kept, 8 quarantined (9 cells)
    assertEquals(new SheetCounts("customers", 11, 3, 8), result.counts().get(0));
    assertEquals(new SheetCounts("products", 4, 3, 1), result.counts().get(1));
    // sales rows 2..21 = 20 read; good: rows 2,3,4,5,6 = 5
    assertEquals(new SheetCounts("sales", 20, 5, 15), result.counts().get(2));
    assertEquals(9 + 1 + 15, quarantined.size());
    assertEquals(List.of(3, 3, 5), List.of(customers.size(), products.size(), sales.size()));
  }

  @Test
  void outputsCarryOnlyContractColumnsTyped() {
    List<String> contractColumns = DataContract.defaultLayout().customers().columns().stream()
        .map(ColumnRule::name).toList();
    assertEquals(contractColumns, Arrays.asList(result.customers().columns()));
    assertEquals(DataTypes.IntegerType, result.customers().schema().apply("Age").dataType());
    assertEquals(DataTypes.DoubleType, result.customers().schema().apply("Income").dataType());
    assertEquals(DataTypes.DateType, result.sales().schema().apply("Purchase_Date").dataType());
    assertEquals(Quarantine.SCHEMA, result.quarantine().schema());
  }

  @Test
  void tooManyBadRowsStopTheRunNamingTheSheet() {
    ContractException error = assertThrows(ContractException.class,
        () -> ContractValidator.validate(raw, DataContract.defaultLayout(), RUN_DATE));
    String message = error.getMessage();
    assertTrue(message.contains("sheet 'sales': 75.00% of its rows (15 of 20) were quarantined, more than the allowed"
        + " 5.00%"), message);
    assertTrue(message.contains("Premium must be greater than 0 (2 rows)"), message);
    assertTrue(message.contains("sheet 'customers'"), message);
  }
}
