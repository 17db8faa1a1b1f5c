package dev.segments.ingest;

import java.util.regex.Pattern;

/**
 * What an e-mail address or a phone number looks like, wherever it was typed: personal data found outside the
 * personal columns (a contact pasted into a category, a row shifted by a broken quote) is never written. An e-mail is
 * {@code name@domain.tld}; a phone number starts with {@code +}, {@code 0} or {@code (0} and has at least nine more
 * digits, which may be grouped by spaces, dots, dashes, slashes or brackets ({@code +44 7700 900123},
 * {@code (020) 7946 0018}); a date or an amount never has that many digits after a leading zero.
 *
 * <p>The check takes time linear in the text's length, however long the cell: an e-mail is looked for only around
 * each {@code @}, reading the domain after it once, and a phone number's scan from a start stops after at most nine
 * digit groups of three characters. (A regular expression for the e-mail, {@code [A-Za-z0-9._%+-]+@...}, is
 * retried from every start position of a long run of name characters: quadratic time, hours for a 5 MB cell.)
 */
final class PersonalDataPattern {
  private static final Pattern PHONE = Pattern.compile("(?<![\\w.])(?:\\+|\\(?0)(?:[ ()./-]{0,2}\\d){9}");

  /** What a masked value reads as in the quarantine table. */
  static final String MASK = "(masked: looks like an e-mail address or phone number)";

  private PersonalDataPattern() {}

  static boolean looksPersonal(String text) {
    return text != null && (holdsEmail(text) || PHONE.matcher(text).find());
  }

  /** The value, or {@link #MASK} when it holds anything that looks like an e-mail address or a phone number. */
  static String masked(String value) {
    return looksPersonal(value) ? MASK : value;
  }

  /**
   * Whether some {@code @} has a name character before it and, after it, a domain: labels of letters, digits and
   * hyphens separated by single dots, the last dot followed by at least two letters ({@code @mail.co.uk}).
   */
  private static boolean holdsEmail(String text) {
    int at = text.indexOf('@');
    while (at >= 0) {
      if (at > 0 && isNameChar(text.charAt(at - 1)) && domainFollows(text, at + 1)) {
        return true;
      }
      at = text.indexOf('@', at + 1);
    }
    return false;
  }

  /**
   * Reads the run of domain characters from {@code start} (it ends at the next {@code @} at the latest, so the runs
   * of all the {@code @}s together read each character once) up to its first empty label.
   */
  private static boolean domainFollows(String text, int start) {
    int i = start;
    while (i < text.length() && isDomainChar(text.charAt(i))) {
      char c = text.charAt(i);
      if (c == '.') {
        if (i == start || text.charAt(i - 1) == '.') {
          return false;
        }
        if (i + 2 < text.length() && isLetter(text.charAt(i + 1)) && isLetter(text.charAt(i + 2))) {
          return true;
        }
      }
      i++;
    }
    return false;
  }

  private static boolean isNameChar(char c) {
    return isLetter(c) || isDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  private static boolean isDomainChar(char c) {
    return isLetter(c) || isDigit(c) || c == '-' || c == '.';
  }

  private static boolean isLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
