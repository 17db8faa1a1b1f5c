package dev.segments.ingest.sheets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CellTextTest {

  @Test
  void doublesReadAsTheShortestPlainDecimal() {
    assertEquals("41", CellText.of(41.0));
    assertEquals("44927", CellText.of(44927.0));
    assertEquals("1204.5", CellText.of(1204.5));
    assertEquals("0.1", CellText.of(0.1));
    assertEquals("0.30000000000000004", CellText.of(0.1 + 0.2));
    assertEquals("0.0000001", CellText.of(1e-7));
    assertEquals("12000000000000000000000", CellText.of(1.2e22));
    assertEquals("-0.5", CellText.of(-0.5f));
    assertEquals("0", CellText.of(-0.0));
  }

  @Test
  void decimalsLoseTrailingZerosAndExponentsButNoDigits() {
    assertEquals("2.5", CellText.of(new BigDecimal("2.50")));
    assertEquals("1000", CellText.of(new BigDecimal("1E+3")));
    assertEquals("0", CellText.of(new BigDecimal("0.000")));
    assertEquals("123456789012345678.123456789", CellText.of(new BigDecimal("123456789012345678.123456789")));
  }

  @Test
  void otherScalars() {
    assertEquals("7", CellText.of(7L));
    assertEquals("TRUE", CellText.of(true));
    assertEquals("FALSE", CellText.of(false));
    assertEquals(" text ", CellText.of(" text "));
    assertNull(CellText.of(""));
    assertNull(CellText.of(null));
  }

  @Test
  void aNonScalarSaysWhatWasExpected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellText.of(Map.of("a", List.of())));

    assertEquals("expected a cell value (text, number or boolean), got " + Map.of("a", List.of()).getClass().getSimpleName(),
        e.getMessage());
  }
}
