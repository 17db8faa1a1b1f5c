package dev.segments.generate;

import java.util.EnumMap;
import java.util.Map;

/**
 * What the generator wrote.
 *
 * @param rowsWritten data rows per sheet name (customers, products, sales), bad rows included
 * @param planted bad rows planted, by kind; every kind is present, possibly with 0
 */
public record GenerationSummary(Map<String, Long> rowsWritten, Map<PlantedDefect, Long> planted) {

  public GenerationSummary {
    rowsWritten = Map.copyOf(rowsWritten);
    planted = new EnumMap<>(planted);
  }

  public long plantedIn(String sheet) {
    return planted.entrySet().stream().filter(e -> e.getKey().sheet().equals(sheet)).mapToLong(Map.Entry::getValue).sum();
  }

  /** A few lines for the console. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    for (String sheet : new String[] {"customers", "products", "sales"}) {
      text.append(String.format("%-9s %,12d rows, %,d of them planted bad%n", sheet, rowsWritten.get(sheet),
          plantedIn(sheet)));
    }
    planted.forEach((kind, count) -> {
      if (count > 0) {
        text.append(String.format("  %,8d  %s (%s)%n", count, kind.description(), kind.sheet()));
      }
    });
    return text.toString();
  }
}
