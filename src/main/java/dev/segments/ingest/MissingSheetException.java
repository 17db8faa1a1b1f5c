package dev.segments.ingest;

import dev.segments.contract.ContractException;

/** A sheet the contract needs is not in the source. */
public final class MissingSheetException extends ContractException {
  private static final long serialVersionUID = 1L;

  public MissingSheetException(String sheet, String where) {
    super("sheet '" + sheet + "' not found in " + where);
  }
}
