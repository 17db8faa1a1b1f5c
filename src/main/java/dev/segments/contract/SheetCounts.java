package dev.segments.contract;

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
}
