package dev.segments.ingest.sheets;

import dev.segments.contract.ContractException;

/**
 * The Sheets API refused a request for a reason the user can fix: the spreadsheet is not shared with the account
 * the job runs as (403), the id is wrong (404), or a range is invalid (400). The message says what to change.
 */
public final class SheetsAccessException extends ContractException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;

  public SheetsAccessException(int statusCode, String message, Throwable cause) {
    super(message);
    this.statusCode = statusCode;
    initCause(cause);
  }

  /** The HTTP status the API answered. */
  public int statusCode() {
    return statusCode;
  }
}
