package dev.segments.ingest.sheets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SheetsSourceConfigTest {

  @Test
  void withoutARangeATabIsReadWholeUnderItsSheetName() {
    SheetRange range = SheetsSourceConfig.forSpreadsheet("abc").rangeOf("sales");

    assertEquals("'sales'!A1:ZZ50001", range.rows(1, 50_001));
    assertEquals("'sales'!A50002:ZZ100001", range.rows(50_002, 50_000));
  }

  @Test
  void aConfiguredRangeKeepsItsTabColumnsAndRows() {
    SheetsSourceConfig config = SheetsConfigs.withRanges(SheetsSourceConfig.forSpreadsheet("abc"), Map.of("customers", "a2:k", "sales", "'Bob''s sales'!C5:F20", "products", "Catalogue!A:D"));

    assertEquals(new SheetRange("customers", "A", "K", 2, Long.MAX_VALUE), config.rangeOf("customers"));
    SheetRange sales = config.rangeOf("sales");
    assertEquals(new SheetRange("Bob's sales", "C", "F", 5, 20), sales);
    // The last row caps every slice.
    assertEquals("'Bob''s sales'!C15:F20", sales.rows(15, 10));
    assertEquals(6, sales.rowCount(15, 10));
    assertEquals(new SheetRange("Catalogue", "A", "D", 1, Long.MAX_VALUE), config.rangeOf("products"));
  }

  @Test
  void aRangeThatIsNotA1IsRejectedWithTheSheetName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SheetsConfigs.withRanges(SheetsSourceConfig.forSpreadsheet("abc"), Map.of("sales", "1:20")));
    assertTrue(e.getMessage().startsWith("sheets range for 'sales' must look like A1:K"), e.getMessage());

    IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class,
        () -> SheetsConfigs.withRanges(SheetsSourceConfig.forSpreadsheet("abc"), Map.of("sales", "K5:A9")));
    assertTrue(reversed.getMessage().contains("empty or reversed"), reversed.getMessage());
  }

  @Test
  void aSpreadsheetAddressInsteadOfItsIdSaysWhichPartToGive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SheetsSourceConfig.forSpreadsheet("https://docs.google.com/spreadsheets/d/abc/edit"));

    assertTrue(e.getMessage().endsWith("give the part of the spreadsheet's address between /d/ and /edit"),
        e.getMessage());
  }

  @Test
  void rowsPerRequestMustBePositive() {
    assertThrows(IllegalArgumentException.class,
        () -> SheetsConfigs.withRowsPerRequest(SheetsSourceConfig.forSpreadsheet("abc"), 0));
  }
}
