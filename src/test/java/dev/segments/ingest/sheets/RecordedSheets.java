package dev.segments.ingest.sheets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a fetch handed over: each sheet's header, and its rows as (row number, cells). */
final class RecordedSheets implements SheetRowsConsumer {
  record RecordedRow(long number, List<String> cells) {}

  final Map<String, List<String>> headers = new LinkedHashMap<>();
  final Map<String, List<RecordedRow>> rows = new LinkedHashMap<>();

  @Override
  public void header(String sheet, List<String> columns) {
    headers.put(sheet, List.copyOf(columns));
    rows.put(sheet, new ArrayList<>());
  }

  @Override
  public void row(String sheet, long rowNumber, String[] cells) {
    rows.get(sheet).add(new RecordedRow(rowNumber, Arrays.asList(cells)));
  }
}
