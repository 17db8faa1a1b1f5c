package dev.segments.ingest;

import java.io.Serializable;
import java.util.Objects;

/**
 * One column of a sheet and the rules its cells must follow. Serializable: Spark ships the rules to the tasks that
 * check the cells.
 *
 * @param name the header text in the sheet
 * @param type how the text is read
 * @param required a blank cell is a contract violation
 * @param min inclusive lower bound for numbers, or null
 * @param max inclusive upper bound for numbers, or null
 * @param positive the number must be strictly greater than zero
 * @param references the role ({@code customers}, {@code products}) of the sheet whose key this column must name, or null
 * @param notAfterRunDate for dates: a value after the run date is a violation
 */
public record ColumnRule(
    String name,
    ColumnType type,
    boolean required,
    Double min,
    Double max,
    boolean positive,
    String references,
    boolean notAfterRunDate) implements Serializable {

  public ColumnRule {
    Objects.requireNonNull(name, "column name");
    Objects.requireNonNull(type, "column type of " + name);
  }

  public static ColumnRule of(String name, ColumnType type) {
    return new ColumnRule(name, type, false, null, null, false, null, false);
  }

  public ColumnRule asRequired() {
    return new ColumnRule(name, type, true, min, max, positive, references, notAfterRunDate);
  }

  public ColumnRule between(Double low, Double high) {
    return new ColumnRule(name, type, required, low, high, positive, references, notAfterRunDate);
  }

  public ColumnRule asPositive() {
    return new ColumnRule(name, type, required, min, max, true, references, notAfterRunDate);
  }

  public ColumnRule referencing(String role) {
    return new ColumnRule(name, type, required, min, max, positive, role, notAfterRunDate);
  }

  public ColumnRule withNoDateAfterRun() {
    return new ColumnRule(name, type, required, min, max, positive, references, true);
  }
}
