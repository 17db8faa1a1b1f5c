package dev.segments.ingest;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.regex.Pattern;
import org.apache.spark.sql.Column;

/**
 * What an e-mail address or a phone number looks like, wherever it was typed: personal data found outside the
 * personal columns (a contact pasted into a category, a row shifted by a broken quote) is never written. An e-mail is
 * {@code name@domain.tld}; a phone number starts with {@code +}, {@code 0} or {@code (0} and has at least nine more
 * digits, which may be grouped by spaces, dots, dashes, slashes or brackets ({@code +44 7700 900123},
 * {@code (020) 7946 0018}); a date or an amount never has that many digits after a leading zero.
 */
final class PersonalDataPattern {
  private static final String EMAIL = "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}";
  private static final String PHONE = "(?<![\\w.])(?:\\+|\\(?0)(?:[ ()./-]{0,2}\\d){9,}";
  private static final String EITHER = EMAIL + "|" + PHONE;
  private static final Pattern PATTERN = Pattern.compile(EITHER);

  /** What a masked value reads as in the quarantine table. */
  static final String MASK = "(masked: looks like an e-mail address or phone number)";

  private PersonalDataPattern() {}

  static boolean looksPersonal(String text) {
    return text != null && PATTERN.matcher(text).find();
  }

  /** The value, or {@link #MASK} when it holds anything that looks like an e-mail address or a phone number. */
  static Column masked(Column value) {
    return when(value.rlike(EITHER), lit(MASK)).otherwise(value);
  }
}
