package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DecimalParserTest {

  private static double amount(String text) {
    return DecimalParser.parse(text, true);
  }

  @Test
  void readsPlainNumbersExactlyAsJavaDoes() {
    for (String text : new String[] {"0", "41", "41.0", "1204.5", "861.8327997", "97928.79508", "0.000123", ".5",
        "7.", "123456789012345678901234", "0.1", "3.14159265358979323846"}) {
      assertEquals(Double.parseDouble(text), amount(text), text);
    }
  }

  @Test
  void readsCurrencySignsThousandsSeparatorsAndSpaces() {
    assertEquals(1204.50, amount("£1,204.50"));
    assertEquals(1204.50, amount(" $ 1,204.50 "));
    assertEquals(1234567.0, amount("€1,234,567"));
    assertEquals(-5.0, amount("-£5"));
    assertEquals(-5.0, amount("£-5"));
    assertEquals(12.0, amount("12 €"));
    assertEquals(120000.0, amount("1.2E5"));
  }

  @Test
  void rejectsText() {
    for (String text : new String[] {"n/a", "12abc", "abc", "", "-", "£", "1.204,50", "1,2", "12,34.5", "1,2345",
        ",123", "1..2", "1e", "£1£", "--5", "Infinity", "NaN", "1e999"}) {
      assertTrue(Double.isNaN(amount(text)), text);
    }
  }

  @Test
  void rejectsCurrencyWhereNoneIsAllowed() {
    assertTrue(Double.isNaN(DecimalParser.parse("£41", false)));
    assertEquals(41.0, DecimalParser.parse(" 41 ", false));
  }
}
