package dev.segments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DisplayFormatTest {

  @Test
  void showsNumbersWithPrecisionThatFitsTheirScale() {
    assertEquals("12,346", DisplayFormat.number(12_345.6));
    assertEquals("-1,797", DisplayFormat.number(-1_797.2));
    assertEquals("40.0", DisplayFormat.number(40.04));
    assertEquals("3.66", DisplayFormat.number(3.6649));
    assertEquals("0.0213", DisplayFormat.number(0.021349), "ratios keep three significant digits");
    assertEquals("0.5", DisplayFormat.number(0.5));
    assertEquals("0.00", DisplayFormat.number(0));
    assertEquals("n/a", DisplayFormat.number(Double.NaN));
  }

  @Test
  void showsSharesAndDurationsAsPeopleReadThem() {
    assertEquals("30.7%", DisplayFormat.percent(0.3067));
    assertEquals("0.8 s", DisplayFormat.duration(Duration.ofMillis(800)));
    assertEquals("3 min 12 s", DisplayFormat.duration(Duration.ofSeconds(192)));
    assertEquals("2 h 05 min", DisplayFormat.duration(Duration.ofMinutes(125)));
  }
}
