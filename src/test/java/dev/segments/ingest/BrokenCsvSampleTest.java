package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.contract.ContractException;
import dev.segments.contract.SheetCounts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled sample, broken the ways real exports break (issue 13), read and validated as a run does. One broken
 * copy carries every row-level break at once and is validated once; each test checks one promise against the
 * unbroken sample: every line is accounted for, rows keep the numbers of their lines, nothing personal is kept.
 */
class BrokenCsvSampleTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2025, 12, 15);
  /** The sales line the issue broke: {@code …,6/3/2014,"3977.21,281870.34}. */
  private static final int UNCLOSED_SALES_LINE = 4001;
  private static final int EXTRA_CELL_SALES_LINE = 10;
  private static final int PHONE_IN_CITY_LINE = 20;
  private static final int EMAIL_IN_AGE_LINE = 21;

  @TempDir
  static Path temp;

  private static SampleCopy broken;
  private static IngestResult original;
  private static IngestResult result;
  /** The customers line whose Gender opens a quote ({@code "Male}) that a line five rows later closes ({@code Male"}). */
  private static int unclosedCustomerLine;
  private static List<QuarantinedCell> originalQuarantine;
  private static List<QuarantinedCell> resultQuarantine;

  @BeforeAll
  static void breakAndValidateOnce() {
    original = validate(SampleCopy.SAMPLE, CsvOptions.defaults());
    broken = SampleCopy.into(temp.resolve("broken")).withContactColumns();
    List<String> customers = broken.lines("customers");
    unclosedCustomerLine = 100;
    while (!(gender(customers, unclosedCustomerLine).equals("Male")
        && gender(customers, unclosedCustomerLine + 5).equals("Male") && uniqueId(customers, unclosedCustomerLine))) {
      unclosedCustomerLine++;
    }
    broken.editLine("customers", unclosedCustomerLine, line -> line.replaceFirst(",Male,", ",\"Male,"))
        .editLine("customers", unclosedCustomerLine + 5, line -> line.replaceFirst(",Male,", ",Male\","))
        .editLine("customers", PHONE_IN_CITY_LINE, line -> replaceCell(line, 3, "+44 7700 900123"))
        .editLine("customers", EMAIL_IN_AGE_LINE, line -> replaceCell(line, 1, "jo.bloggs@example.com"))
        .editLine("sales", UNCLOSED_SALES_LINE, line -> {
          assertTrue(line.endsWith(",6/3/2014,3977.21,281870.34"), line);
          return line.replace(",3977.21,", ",\"3977.21,");
        })
        .editLine("sales", EXTRA_CELL_SALES_LINE, line -> line + ",1")
        .editLine("sales", 1, line -> line.replace("Product_ID", "product id"));
    result = validate(broken.folder(), CsvOptions.defaults());
    originalQuarantine = QuarantinedCell.of(original.quarantine());
    resultQuarantine = QuarantinedCell.of(result.quarantine());
  }

  private static IngestResult validate(Path folder, CsvOptions options) {
    return ContractValidator.validate(new CsvSheetSource(folder, options).read(LocalSpark.session(),
        List.of("customers", "products", "sales")), DataContract.defaultLayout(), RUN_DATE);
  }

  /** Whether the customer on a line is on no other line (the sample plants duplicate keys). */
  private static boolean uniqueId(List<String> lines, int line) {
    String id = lines.get(line - 1).split(",")[0] + ",";
    return lines.stream().filter(l -> l.startsWith(id)).count() == 1;
  }

  private static String gender(List<String> lines, int line) {
    return lines.get(line - 1).split(",")[2];
  }

  private static String replaceCell(String line, int cell, String value) {
    String[] cells = line.split(",", -1);
    cells[cell] = value;
    return String.join(",", cells);
  }

  private static Set<QuarantinedCell> quarantined(IngestResult ingest, String sheet) {
    return (ingest == original ? originalQuarantine : resultQuarantine).stream().filter(q -> q.sheet().equals(sheet))
        .collect(Collectors.toSet());
  }

  private static Set<String> keys(Dataset<Row> kept, String key) {
    return kept.select(key).collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toSet());
  }

  private static Map<String, Long> read(IngestResult ingest) {
    return ingest.counts().stream().collect(Collectors.toMap(SheetCounts::sheet, SheetCounts::read));
  }

  @Test
  void everyDataLineIsARowReadEvenWhenItsRecordIsBroken() {
    for (String sheet : SampleCopy.SHEETS) {
      assertEquals(broken.dataLines(sheet), read(result).get(sheet), sheet);
    }
  }

  @Test
  void anUnclosedQuoteInSalesQuarantinesItsOwnLineAndTheNextRowsKeepTheirLineNumbers() {
    Set<QuarantinedCell> added = new HashSet<>(quarantined(result, "sales"));
    added.removeAll(quarantined(original, "sales"));
    Set<QuarantinedCell> gone = new HashSet<>(quarantined(original, "sales"));
    gone.removeAll(quarantined(result, "sales"));
    assertEquals(Set.of(), gone, "rows quarantined before are quarantined at the same line with the same reason");

    QuarantinedCell unclosed = added.stream().filter(q -> q.row() == UNCLOSED_SALES_LINE).findFirst().orElseThrow();
    assertEquals(CellChecker.WHOLE_ROW, unclosed.column());
    assertNull(unclosed.value(), "a broken record's text is never written");
    assertTrue(unclosed.reason().startsWith("unclosed quote: no closing quote within 100 lines of line 4001"),
        unclosed.reason());
    Set<String> customersLost = keys(original.customers(), "Customer_ID");
    customersLost.removeAll(keys(result.customers(), "Customer_ID"));
    for (QuarantinedCell cell : added) {
      boolean ownLine = cell.row() == UNCLOSED_SALES_LINE || cell.row() == EXTRA_CELL_SALES_LINE;
      boolean saleOfABrokenCustomer = cell.column().equals("Customer_ID") && customersLost.contains(cell.value());
      assertTrue(ownLine || saleOfABrokenCustomer, "only the broken lines are new in quarantine: " + cell);
    }

    Set<String> expected = keys(original.sales(), "Policy_ID");
    expected.remove("P003960");
    expected.remove(broken.lines("sales").get(EXTRA_CELL_SALES_LINE - 1).split(",")[0]);
    Set<String> kept = keys(result.sales(), "Policy_ID");
    kept.addAll(added.stream().filter(q -> q.column().equals("Customer_ID"))
        .map(q -> broken.lines("sales").get((int) q.row() - 1).split(",")[0]).toList());
    assertEquals(expected, kept, "every other sale is kept, the lines after line 4001 included");
  }

  @Test
  void aRowWithMoreCellsThanTheHeaderIsQuarantinedWithoutItsValues() {
    QuarantinedCell extra = quarantined(result, "sales").stream().filter(q -> q.row() == EXTRA_CELL_SALES_LINE)
        .findFirst().orElseThrow();
    assertEquals(new QuarantinedCell("sales", EXTRA_CELL_SALES_LINE, CellChecker.WHOLE_ROW, null,
        "the row has 7 cells, 1 more than the header's 6 (an unquoted comma in a cell?)"), extra);
  }

  @Test
  void aQuoteOpenedInOneCustomerAndClosedFiveRowsLaterLosesNoCustomerAndKeepsNoContact() {
    QuarantinedCell unclosed = quarantined(result, "customers").stream()
        .filter(q -> q.row() == unclosedCustomerLine).findFirst().orElseThrow();
    assertEquals(CellChecker.WHOLE_ROW, unclosed.column());
    assertEquals("unclosed quote: the row would run from line " + unclosedCustomerLine + " to line "
        + (unclosedCustomerLine + 5) + "; the lines after line " + unclosedCustomerLine
        + " are read as rows of their own", unclosed.reason());

    List<String> lines = broken.lines("customers");
    Set<String> kept = keys(result.customers(), "Customer_ID");
    for (int line = unclosedCustomerLine + 1; line <= unclosedCustomerLine + 5; line++) {
      String id = lines.get(line - 1).split(",")[0];
      assertTrue(kept.contains(id) || !keys(original.customers(), "Customer_ID").contains(id),
          "customer " + id + " of line " + line + " vanished");
    }
    Set<String> lost = keys(original.customers(), "Customer_ID");
    lost.removeAll(kept);
    Set<String> gained = new HashSet<>(kept);
    gained.removeAll(keys(original.customers(), "Customer_ID"));
    assertEquals(Set.of(), gained);
    Set<String> broke = new HashSet<>();
    for (int line : List.of(unclosedCustomerLine, PHONE_IN_CITY_LINE, EMAIL_IN_AGE_LINE)) {
      broke.add(lines.get(line - 1).split(",")[0]);
    }
    broke.retainAll(keys(original.customers(), "Customer_ID"));
    assertFalse(broke.isEmpty(), "the test breaks customers that were good");
    assertEquals(broke, lost, "only the broken lines' customers are not kept");
  }

  @Test
  void noContactDetailIsKeptOrQuarantinedAnywhere() {
    // Every address planted is at example.* and every number starts +44 7700 (SampleCopy.email, phone, and the two
    // typed into cells).
    List<String> contacts = List.of("@example.", "+44 7700 ");
    for (Dataset<Row> table : List.of(result.customers(), result.products(), result.sales(), result.quarantine())) {
      for (Row row : table.collectAsList()) {
        for (int i = 0; i < row.length(); i++) {
          Object cell = row.get(i);
          if (cell instanceof String text) {
            assertFalse(contacts.stream().anyMatch(text::contains), "personal data written: " + row);
          }
        }
      }
    }
    Map<Long, QuarantinedCell> masked = quarantined(result, "customers").stream()
        .filter(q -> q.row() == PHONE_IN_CITY_LINE || q.row() == EMAIL_IN_AGE_LINE)
        .collect(Collectors.toMap(QuarantinedCell::row, q -> q));
    assertEquals(PersonalDataPattern.MASK, masked.get((long) PHONE_IN_CITY_LINE).value());
    assertEquals("City looks like an e-mail address or phone number (personal data is not read)",
        masked.get((long) PHONE_IN_CITY_LINE).reason());
    assertEquals(PersonalDataPattern.MASK, masked.get((long) EMAIL_IN_AGE_LINE).value());
    assertEquals("Age is not a number", masked.get((long) EMAIL_IN_AGE_LINE).reason());
  }

  @Test
  void headersMatchWhateverTheirCaseSpacesUnderscoresAndHyphens() {
    assertNotNull(result.sales().first().getAs("Product_ID"), "'product id' is read as Product_ID");
  }

  @Test
  void aHeaderWrittenTwiceIsRefusedNamingTheSheetAndTheHeader() {
    SampleCopy copy = SampleCopy.into(temp.resolve("duplicate"))
        .editLine("customers", 1, line -> line.replace("Income", "Age"));
    ContractException error = assertThrows(ContractException.class,
        () -> new CsvSheetSource(copy.folder()).read(LocalSpark.session(), List.of("customers")));
    assertEquals("sheet 'customers' has the header 'Age' twice (columns 2 and 8); rename one so each column has"
        + " its own name", error.getMessage());
  }

  @Test
  void aLatin1FileStopsTheRunNamingFileAndLineAndReadsWhenItsEncodingIsConfigured() {
    SampleCopy copy = SampleCopy.into(temp.resolve("latin1"));
    List<String> lines = copy.lines("customers");
    lines.set(4, replaceCell(lines.get(4), 3, "Malmö"));
    copy.write("customers", lines, StandardCharsets.ISO_8859_1);

    Exception error = assertThrows(Exception.class, () -> validate(copy.folder(), CsvOptions.defaults()));
    InputEncodingException encoding = causeOf(error, InputEncodingException.class);
    assertEquals("file customers.csv, line 5: bytes that are not valid UTF-8; export the file as UTF-8, or set"
        + " input_encoding to the file's encoding (e.g. ISO-8859-1 or windows-1252)", encoding.getMessage());

    IngestResult latin1 = validate(copy.folder(), new CsvOptions("ISO-8859-1", CsvOptions.DEFAULT_MAX_CELL_LINES));
    String id = lines.get(4).split(",")[0];
    Row customer = latin1.customers().filter(latin1.customers().col("Customer_ID").equalTo(id)).first();
    assertEquals("Malmö", customer.getAs("City"));
  }

  private static <T extends Throwable> T causeOf(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + error, error);
  }
}
