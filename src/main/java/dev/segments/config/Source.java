package dev.segments.config;

/** Where a run reads the sheets (key {@code source}). */
public enum Source {
  /** a folder of CSV exports, one {@code <sheet name>.csv} per sheet */
  CSV,
  /** the Google Sheets API */
  SHEETS;

  /** The value as the config writes it ({@code csv}). */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
