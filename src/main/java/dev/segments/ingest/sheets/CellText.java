package dev.segments.ingest.sheets;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A cell as the Sheets API returns it with {@code UNFORMATTED_VALUE} (a JSON string, number or boolean) turned into
 * the text a raw sheet holds. Numbers keep every digit and never use exponent notation, so a serial date 44927 reads
 * {@code "44927"}, 1204.5 reads {@code "1204.5"} and a whole number stored as 41.0 reads {@code "41"}. Booleans read
 * {@code "TRUE"}/{@code "FALSE"}, as in the sheet and in its CSV download. An empty cell is null.
 */
final class CellText {
  private CellText() {}

  /**
   * @throws IllegalArgumentException when the value is none of the JSON scalars a cell can hold; the message says
   *     what it was
   */
  static String of(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s.isEmpty() ? null : s;
    }
    if (value instanceof BigDecimal d) {
      return plain(d);
    }
    if (value instanceof Double || value instanceof Float) {
      // valueOf gives the shortest decimal that reads back as the same double: 0.1 stays "0.1".
      return plain(BigDecimal.valueOf(((Number) value).doubleValue()));
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger) {
      return value.toString();
    }
    if (value instanceof Boolean b) {
      return b ? "TRUE" : "FALSE";
    }
    throw new IllegalArgumentException("expected a cell value (text, number or boolean), got "
        + value.getClass().getSimpleName());
  }

  private static String plain(BigDecimal d) {
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }
}
