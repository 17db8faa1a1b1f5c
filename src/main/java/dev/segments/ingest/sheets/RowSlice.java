package dev.segments.ingest.sheets;

import java.util.Optional;

/**
 * Rows {@code fromRow .. fromRow + rowCount - 1} of one sheet's range: what one A1 range of a batchGet asks for.
 *
 * @param sheet the sheet's name as the pipeline knows it
 * @param range the sheet's block in the spreadsheet
 */
record RowSlice(String sheet, SheetRange range, long fromRow, long rowCount) {

  /** The first slice of a sheet: its header and up to {@code dataRows} rows below it. */
  static RowSlice first(String sheet, SheetRange range, int dataRows) {
    return new RowSlice(sheet, range, range.headerRow(), range.rowCount(range.headerRow(), dataRows + 1L));
  }

  String a1() {
    return range.rows(fromRow, rowCount);
  }

  boolean isFirst() {
    return fromRow == range.headerRow();
  }

  /**
   * The slice after this one, while the range and the tab's grid go on. How many rows came back does not decide
   * it: the API leaves out trailing blank rows, so a slice that ends in blank rows comes back short although rows
   * with values may follow.
   *
   * @param gridRows the tab's row count ({@code gridProperties.rowCount}): no row past it exists
   */
  Optional<RowSlice> next(long gridRows, int dataRows) {
    long after = fromRow + rowCount;
    if (after > Math.min(range.lastRow(), gridRows)) {
      return Optional.empty();
    }
    return Optional.of(new RowSlice(sheet, range, after, range.rowCount(after, dataRows)));
  }
}
