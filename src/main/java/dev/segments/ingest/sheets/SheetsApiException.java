package dev.segments.ingest.sheets;

/**
 * The Sheets API could not be read, for a reason that is not the user's input: it kept failing after the retries
 * (429, 5xx, time-outs, broken connections), or it answered something other than the values asked for.
 */
public final class SheetsApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@link #statusCode()} when no HTTP answer came (time-out, broken connection). */
  public static final int NO_STATUS = -1;

  private final int statusCode;

  public SheetsApiException(int statusCode, String message, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
  }

  /** The last HTTP status the API answered, or {@link #NO_STATUS}. */
  public int statusCode() {
    return statusCode;
  }
}
