package dev.segments.ingest;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Locale;
import org.apache.spark.sql.Column;

/**
 * The words a quarantined cell is explained with, all in one place.
 *
 * @param reason what is wrong with this cell, for the person who keeps the sheet (may quote the cell)
 * @param rule the same without the cell's value, to count rows by rule in summaries and error messages
 */
record QuarantineReason(String reason, String rule) {

  private static QuarantineReason of(String words) {
    return new QuarantineReason(words, words);
  }

  static QuarantineReason requiredButBlank(String column) {
    return of(column + " is required but blank");
  }

  static QuarantineReason notANumber(String column) {
    return of(column + " is not a number");
  }

  static QuarantineReason notAWholeNumber(String column) {
    return of(column + " is not a whole number");
  }

  static QuarantineReason notPositive(String column) {
    return of(column + " must be greater than 0");
  }

  static QuarantineReason tooLong(String column, int length, int max) {
    return new QuarantineReason(String.format(Locale.ROOT, "%s is %,d characters long; a key, category or label"
        + " holds at most %,d", column, length, max), column + " is longer than " + max + " characters");
  }

  static QuarantineReason controlCharacter(String column, char control, int position) {
    return new QuarantineReason(String.format(Locale.ROOT, "%s holds a control character (U+%04X at character %d):"
        + " the cell is likely corrupt", column, (int) control, position), column + " holds a control character");
  }

  static QuarantineReason looksPersonal(String column) {
    return of(column + " looks like an e-mail address or phone number (personal data is not read)");
  }

  static QuarantineReason outOfBounds(ColumnRule rule) {
    if (rule.min() != null && rule.max() != null) {
      return of(rule.name() + " must be between " + plain(rule.min()) + " and " + plain(rule.max()));
    }
    return rule.min() != null
        ? of(rule.name() + " must be at least " + plain(rule.min()))
        : of(rule.name() + " must be at most " + plain(rule.max()));
  }

  static QuarantineReason afterRunDate(String column, String text, LocalDate runDate) {
    return new QuarantineReason("date " + text + " is after the run date " + runDate,
        column + " is after the run date");
  }

  static QuarantineReason unreadableDate(DateResolver.Problem problem, String column, String text) {
    return switch (problem) {
      case NOT_A_DATE -> of(column + " is not a date (expected M/D/YYYY, D/M/YYYY, YYYY-MM-DD or a sheet serial number)");
      case TWO_DIGIT_YEAR -> new QuarantineReason("date " + text + " has a two-digit year; write the year in full",
          column + " has a two-digit year");
      case NO_SUCH_DAY -> new QuarantineReason("date " + text + " does not exist", column + " is a day that does not exist");
      case OUT_OF_RANGE -> new QuarantineReason("date " + text + " is not between " + DateResolver.FIRST_YEAR + " and "
          + DateResolver.LAST_YEAR, column + " is not between " + DateResolver.FIRST_YEAR + " and " + DateResolver.LAST_YEAR);
      case AMBIGUOUS -> new QuarantineReason("date " + text + " could be day-first or month-first and " + column
          + " has no unambiguous dates to tell which; set date_order to DAY_FIRST or MONTH_FIRST",
          column + " is ambiguous (set date_order)");
    };
  }

  /** "duplicate key P000123, first seen at row 57". */
  static Column duplicateKey(Column key, Column firstRow) {
    return concat(lit("duplicate key "), key, lit(", first seen at row "), firstRow.cast("string"));
  }

  static String duplicateKeyRule(String keyColumn) {
    return "duplicate " + keyColumn;
  }

  /** "unknown Product_ID (not in sheet products)". */
  static String unknownReference(String column, String sheet) {
    return "unknown " + column + " (not in sheet " + sheet + ")";
  }

  /** "Customer_ID HL00012 was quarantined in sheet customers (row 57)": the row that carries the key, and why not this. */
  static Column quarantinedReference(String column, Column value, String sheet, Column row) {
    return concat(lit(column + " "), value, lit(" was quarantined in sheet " + sheet + " (row "), row.cast("string"),
        lit(")"));
  }

  static String quarantinedReferenceRule(String column, String sheet) {
    return column + " was quarantined in sheet " + sheet;
  }

  private static String plain(double bound) {
    return BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
  }
}
