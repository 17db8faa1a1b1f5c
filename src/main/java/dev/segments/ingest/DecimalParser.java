package dev.segments.ingest;

/**
 * Reads a number as people type it into a sheet: {@code 1204.5}, {@code 1,204.50}, {@code £1,204.50},
 * {@code -£5}, {@code € 12}, {@code 41.0}, {@code 1.2E5}. Spaces around the number and around a currency sign
 * (£ $ €) are ignored; commas are thousands separators and must group the whole part by threes. Anything else
 * ({@code n/a}, {@code 12abc}, {@code 1.204,50}) is not a number.
 *
 * <p>It allocates nothing on the common path: the digits are accumulated into a long and scaled by an exact power
 * of ten, which gives the same correctly rounded double as {@link Double#parseDouble} while the digits fit in 2^53;
 * longer or exponent forms fall back to {@link Double#parseDouble}.
 */
final class DecimalParser {
  private DecimalParser() {}

  private static final double[] EXACT_POWERS_OF_TEN = {
      1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  private static final long EXACT_MANTISSA_LIMIT = 1L << 53;

  /**
   * @param currencyAllowed whether a currency sign may appear (amounts yes, ages no)
   * @return the number, or {@link Double#NaN} when the text is not a number
   */
  static double parse(String text, boolean currencyAllowed) {
    int n = text.length();
    int i = skipSpaces(text, 0);
    boolean negative = false;
    boolean signSeen = false;
    boolean currencySeen = false;
    while (i < n) {
      char c = text.charAt(i);
      if ((c == '-' || c == '+') && !signSeen) {
        signSeen = true;
        negative = c == '-';
      } else if (currencyAllowed && isCurrency(c) && !currencySeen) {
        currencySeen = true;
      } else {
        break;
      }
      i = skipSpaces(text, i + 1);
    }

    long mantissa = 0;
    int significantDigits = 0;
    int wholeDigits = 0;
    int digitsInGroup = 0;
    boolean commaSeen = false;
    for (; i < n; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        mantissa = accumulate(mantissa, c, significantDigits);
        significantDigits += (mantissa == 0) ? 0 : 1;
        wholeDigits++;
        digitsInGroup++;
      } else if (c == ',') {
        if (digitsInGroup == 0 || (commaSeen ? digitsInGroup != 3 : digitsInGroup > 3)) {
          return Double.NaN;
        }
        commaSeen = true;
        digitsInGroup = 0;
      } else {
        break;
      }
    }
    if (commaSeen && digitsInGroup != 3) {
      return Double.NaN;
    }

    int fractionDigits = 0;
    if (i < n && text.charAt(i) == '.') {
      for (i++; i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++) {
        mantissa = accumulate(mantissa, text.charAt(i), significantDigits);
        significantDigits += (mantissa == 0) ? 0 : 1;
        fractionDigits++;
      }
    }
    if (wholeDigits + fractionDigits == 0) {
      return Double.NaN;
    }
    boolean exponent = false;
    if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      int start = ++i;
      if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
        i++;
      }
      int digitsStart = i;
      while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        i++;
      }
      if (i == digitsStart || start == n) {
        return Double.NaN;
      }
      exponent = true;
    }
    i = skipSpaces(text, i);
    if (i < n && currencyAllowed && !currencySeen && isCurrency(text.charAt(i))) {
      i = skipSpaces(text, i + 1);
    }
    if (i != n) {
      return Double.NaN;
    }

    double value;
    if (!exponent && significantDigits <= 15 && mantissa < EXACT_MANTISSA_LIMIT
        && fractionDigits < EXACT_POWERS_OF_TEN.length) {
      value = mantissa / EXACT_POWERS_OF_TEN[fractionDigits];
    } else {
      value = Double.parseDouble(withoutDecoration(text));
    }
    if (Double.isInfinite(value)) {
      return Double.NaN;
    }
    return negative ? -value : value;
  }

  private static long accumulate(long mantissa, char digit, int significantDigits) {
    // Past 18 digits the long would overflow; the slow path re-reads the text then, so the value no longer matters.
    return significantDigits >= 18 ? mantissa : mantissa * 10 + (digit - '0');
  }

  private static String withoutDecoration(String text) {
    StringBuilder digits = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ',' && c != '-' && c != '+' && !isSpace(c) && !isCurrency(c)) {
        digits.append(c);
      } else if ((c == '-' || c == '+') && i > 0 && (text.charAt(i - 1) == 'e' || text.charAt(i - 1) == 'E')) {
        digits.append(c);
      }
    }
    return digits.toString();
  }

  private static int skipSpaces(String text, int from) {
    int i = from;
    while (i < text.length() && isSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\u00A0' || c == '\u202F';
  }

  private static boolean isCurrency(char c) {
    return c == '£' || c == '$' || c == '€';
  }
}
