package dev.segments.contract;

/**
 * The input breaks the data contract so badly that the run must stop: a missing sheet or column, or too many bad
 * rows. The message names the sheet, the column and what was expected; it is shown to the user as is.
 */
public class ContractException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ContractException(String message) {
    super(message);
  }
}
