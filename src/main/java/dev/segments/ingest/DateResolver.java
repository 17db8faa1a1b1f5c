package dev.segments.ingest;

import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.util.regex.Pattern;

/**
 * Turns the text of a date cell into a day. The rule, in the order it is applied:
 *
 * <ol>
 *   <li>A plain number ({@code 44927} or {@code 44927.75}) is a spreadsheet serial number: days since 1899-12-30,
 *       the fraction (time of day) dropped.</li>
 *   <li>A four-digit year first ({@code 2022-03-17}, {@code 2022/3/17}) is year, month, day: ISO.</li>
 *   <li>Otherwise the text must be {@code a/b/yyyy} with {@code /}, {@code -} or {@code .} as separator. If
 *       {@code a} is over 12 the date is day-first ({@code 14/04/2007}); if {@code b} is over 12 it is month-first
 *       ({@code 3/17/2022}); if both are over 12 it is no day; if both are equal the order does not matter; if
       both are 12 or less it is ambiguous and is read in the column's order: the
 *       configured {@code date_order}, or with {@code AUTO} the order of the majority of the column's unambiguous
 *       values. With {@code AUTO} and no majority (no unambiguous values, or as many of each), ambiguous values
 *       are quarantined and the user is told to set {@code date_order}. A two-digit year ({@code 5/4/22}) is
 *       rejected: its century is a guess.</li>
 *   <li>Any form may carry a time after a space or {@code T} ({@code 2022-03-17T10:30:00Z}); it is ignored.</li>
 *   <li>The day must exist ({@code 31/02/2022} does not) and lie in the years 1900 to 2200.</li>
 * </ol>
 *
 * <p>One instance per column and partition: it keeps the last result in fields so that reading a cell allocates
 * nothing. Not thread-safe.
 */
final class DateResolver {

  /** Why a text is not a day. */
  enum Problem { NOT_A_DATE, TWO_DIGIT_YEAR, NO_SUCH_DAY, OUT_OF_RANGE, AMBIGUOUS }

  static final int FIRST_YEAR = 1900;
  static final int LAST_YEAR = 2200;
  private static final long SERIAL_EPOCH = LocalDate.of(1899, 12, 30).toEpochDay();
  private static final Pattern TIME_OF_DAY =
      Pattern.compile("[T ]\\d{1,2}:\\d{2}(:\\d{2}([.,]\\d{1,9})?)?( ?[AaPp][Mm])?(Z|[+-]\\d{2}(:?\\d{2})?)?");

  private final DateOrder ambiguousOrder;
  private long epochDay;
  private Problem problem;

  /**
   * @param ambiguousOrder how {@code 5/4/2022} is read: {@link DateOrder#MONTH_FIRST} or {@link DateOrder#DAY_FIRST};
   *     {@link DateOrder#AUTO} here means the column gave no majority, so ambiguous values are rejected
   */
  DateResolver(DateOrder ambiguousOrder) {
    this.ambiguousOrder = ambiguousOrder;
  }

  /** The day of the last successful {@link #resolve}, as days since 1970-01-01. */
  long epochDay() {
    return epochDay;
  }

  /** Why the last {@link #resolve} failed. */
  Problem problem() {
    return problem;
  }

  /** @param text a trimmed, non-empty cell */
  boolean resolve(String text) {
    problem = null;
    int n = text.length();
    int first = digitsFrom(text, 0);
    if (first == 0) {
      return fail(Problem.NOT_A_DATE);
    }
    if (first == n || (text.charAt(first) == '.' && first + 1 < n && digitsFrom(text, first + 1) == n)) {
      return serial(text, first);
    }
    char separator = text.charAt(first);
    if (separator != '/' && separator != '-' && separator != '.') {
      return fail(Problem.NOT_A_DATE);
    }
    int secondStart = first + 1;
    int second = digitsFrom(text, secondStart) - secondStart;
    int thirdStart = secondStart + second + 1;
    if (second < 1 || second > 2 || thirdStart - 1 >= n || text.charAt(thirdStart - 1) != separator) {
      return fail(Problem.NOT_A_DATE);
    }
    int third = digitsFrom(text, thirdStart) - thirdStart;
    int end = thirdStart + third;
    if (third == 0 || (end < n && !TIME_OF_DAY.matcher(text).region(end, n).matches())) {
      return fail(Problem.NOT_A_DATE);
    }
    int a = number(text, 0, first);
    int b = number(text, secondStart, secondStart + second);
    if (first == 4) {
      return third <= 2 ? day(a, b, number(text, thirdStart, end)) : fail(Problem.NOT_A_DATE);
    }
    if (first > 2 || (third != 4 && third != 2)) {
      return fail(Problem.NOT_A_DATE);
    }
    if (third == 2) {
      return fail(Problem.TWO_DIGIT_YEAR);
    }
    int year = number(text, thirdStart, end);
    if (a > 12 && b > 12) {
      return fail(Problem.NO_SUCH_DAY);
    }
    if (a == b) {
      return day(year, a, b);
    }
    return switch (orderOf(a, b)) {
      case DAY_FIRST -> day(year, b, a);
      case MONTH_FIRST -> day(year, a, b);
      case AUTO -> switch (ambiguousOrder) {
        case DAY_FIRST -> day(year, b, a);
        case MONTH_FIRST -> day(year, a, b);
        case AUTO -> fail(Problem.AMBIGUOUS);
      };
    };
  }

  /**
   * The order a slash date can only be read in: {@link DateOrder#DAY_FIRST} for {@code 14/04/2007},
   * {@link DateOrder#MONTH_FIRST} for {@code 3/17/2022}, and {@link DateOrder#AUTO} for anything else (ambiguous
   * {@code 5/4/2022}, impossible {@code 14/15/2022}, or not a day/month text at all). Used to vote for a column's order.
   */
  static DateOrder unambiguousOrder(String text) {
    int n = text.length();
    int first = digitsFrom(text, 0);
    if (first < 1 || first > 2 || first == n) {
      return DateOrder.AUTO;
    }
    char separator = text.charAt(first);
    int second = digitsFrom(text, first + 1) - first - 1;
    int yearStart = first + 1 + second + 1;
    if ((separator != '/' && separator != '-' && separator != '.') || second < 1 || second > 2
        || yearStart - 1 >= n || text.charAt(yearStart - 1) != separator || digitsFrom(text, yearStart) - yearStart != 4) {
      return DateOrder.AUTO;
    }
    return orderOf(number(text, 0, first), number(text, first + 1, first + 1 + second));
  }

  private static DateOrder orderOf(int a, int b) {
    if (a > 12 && b <= 12) {
      return DateOrder.DAY_FIRST;
    }
    if (b > 12 && a <= 12) {
      return DateOrder.MONTH_FIRST;
    }
    return DateOrder.AUTO;
  }

  private boolean serial(String text, int wholeDigits) {
    if (wholeDigits > 6) {
      return fail(Problem.OUT_OF_RANGE);
    }
    long day = SERIAL_EPOCH + number(text, 0, wholeDigits);
    int year = LocalDate.ofEpochDay(day).getYear();
    if (year < FIRST_YEAR || year > LAST_YEAR) {
      return fail(Problem.OUT_OF_RANGE);
    }
    epochDay = day;
    return true;
  }

  private boolean day(int year, int month, int dayOfMonth) {
    if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > Month.of(month).length(Year.isLeap(year))) {
      return fail(Problem.NO_SUCH_DAY);
    }
    if (year < FIRST_YEAR || year > LAST_YEAR) {
      return fail(Problem.OUT_OF_RANGE);
    }
    epochDay = LocalDate.of(year, month, dayOfMonth).toEpochDay();
    return true;
  }

  private boolean fail(Problem why) {
    problem = why;
    return false;
  }

  /** The index of the first non-digit at or after {@code from}. */
  private static int digitsFrom(String text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  private static int number(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      value = value * 10 + (text.charAt(i) - '0');
    }
    return value;
  }
}
