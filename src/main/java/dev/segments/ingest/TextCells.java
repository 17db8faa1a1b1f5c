package dev.segments.ingest;

import java.text.Normalizer;

/**
 * How a text cell is read before any rule looks at it, so that what a person sees as the same value is the same value
 * ({@code sheets.CellText}, by contrast, turns a Sheets API value into the cell's text): surrounding white space is
 * dropped, including the no-break and zero-width spaces and byte-order marks a copy from a web page or another sheet
 * brings ({@code " HL00006 "} is {@code HL00006}, whose sales then find it), and the text is put in Unicode normal
 * form C ({@code Zürich} typed with a combining accent is the {@code Zürich} typed with one character, one category,
 * not two). A control character inside a cell is not text anyone typed.
 */
final class TextCells {
  private TextCells() {}

  /** The cell as the rules read it; null stays null. */
  static String cleaned(String cell) {
    if (cell == null) {
      return null;
    }
    int start = 0;
    int end = cell.length();
    while (start < end && isBlank(cell.charAt(start))) {
      start++;
    }
    while (end > start && isBlank(cell.charAt(end - 1))) {
      end--;
    }
    String text = cell.substring(start, end);
    return Normalizer.isNormalized(text, Normalizer.Form.NFC) ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
  }

  /**
   * The position of the first control character in {@code text} (C0 controls other than tab, line feed and carriage
   * return, which a quoted multi-line cell may hold, and DEL), or -1.
   */
  static int controlCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (isControl(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** {@code text} with every control character (see {@link #controlCharacter}) replaced by U+FFFD, for quoting. */
  static String withoutControls(String text) {
    StringBuilder quoted = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      quoted.append(isControl(c) ? '\uFFFD' : c);
    }
    return quoted.toString();
  }

  private static boolean isControl(char c) {
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
  }

  private static boolean isBlank(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u200B' || c == '\u200C' || c == '\u200D'
        || c == '\u2060' || c == '\uFEFF';
  }
}
