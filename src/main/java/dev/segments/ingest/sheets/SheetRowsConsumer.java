package dev.segments.ingest.sheets;

import java.util.List;

/** Receives sheets as text while they are fetched, one slice of rows at a time, so no caller holds them twice. */
interface SheetRowsConsumer {

  /** Called once per sheet, before any of its rows. */
  void header(String sheet, List<String> columns);

  /**
   * One data row, in sheet order.
   *
   * @param rowNumber the row's number in the tab (the header is row 1 unless a range says otherwise)
   * @param cells one entry per header column, null for an empty cell; the array is the consumer's to keep
   */
  void row(String sheet, long rowNumber, String[] cells);
}
