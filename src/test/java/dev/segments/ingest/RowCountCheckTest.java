package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.segments.contract.ContractException;
import dev.segments.contract.SheetCounts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The row-count guards before publishing, on counts alone. No Spark. */
class RowCountCheckTest {
  private static final DataContract CONTRACT = DataContract.defaultLayout();

  private static List<SheetCounts> counts(long customers, long sales) {
    return List.of(new SheetCounts("customers", customers, customers, 0), new SheetCounts("products", 20, 20, 0),
        new SheetCounts("sales", sales + 3, sales, 3));
  }

  @Test
  void aDropUpToTheLimitPassesAndBeyondItStops() {
    RowCountCheck.check(CONTRACT, counts(500, 500), Map.of("customers", 1000L, "sales", 1000L));
    RowCountCheck.check(CONTRACT, counts(500, 10), Map.of("customers", 0L));
    ContractException error = assertThrows(ContractException.class,
        () -> RowCountCheck.check(CONTRACT, counts(1000, 499), Map.of("customers", 1000L, "sales", 1000L)));
    assertEquals("sheet 'sales' kept 499 rows, 50.1% fewer than the 1000 of the previous run; more than"
        + " contract.max_row_drop (50%) allows. Check the export, or set contract.max_row_drop=1 for a run that"
        + " should replace them\nThe published outputs were left as they were.", error.getMessage());
  }

  @Test
  void aSheetBelowItsMinimumStopsTheRunWithOrWithoutAPreviousRun() {
    ContractException error = assertThrows(ContractException.class,
        () -> RowCountCheck.check(CONTRACT, counts(1, 0), Map.of()));
    assertEquals("sheet 'customers' kept 1 row (1 read), fewer than its minimum of 10 (contract.customers.min_rows)\n"
        + "sheet 'sales' kept 0 rows (3 read), fewer than its minimum of 1 (contract.sales.min_rows)\n"
        + "The published outputs were left as they were.", error.getMessage());
  }
}
