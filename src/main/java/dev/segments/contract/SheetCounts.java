package dev.segments.contract;

import java.util.List;

/** What happened to one sheet's rows: every row read is either kept or quarantined, never dropped. */
public record SheetCounts(String sheet, long read, long kept, long quarantined) {

  public SheetCounts {
    if (read != kept + quarantined) {
      throw new IllegalStateException("sheet '" + sheet + "': " + read + " rows read but " + kept + " kept and "
          + quarantined + " quarantined");
    }
  }

  public double quarantinedShare() {
    return read == 0 ? 0 : (double) quarantined / read;
  }

  /** Rows read from all {@code sheets}. */
  public static long totalRead(List<SheetCounts> sheets) {
    return sheets.stream().mapToLong(SheetCounts::read).sum();
  }

  /** Rows of all {@code sheets} that broke a rule of the contract. */
  public static long totalQuarantined(List<SheetCounts> sheets) {
    return sheets.stream().mapToLong(SheetCounts::quarantined).sum();
  }
}
