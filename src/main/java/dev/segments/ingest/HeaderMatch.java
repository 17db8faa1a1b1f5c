package dev.segments.ingest;

import dev.segments.contract.ContractException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds each contract column among a sheet's headers: the one header that is its name, or differs from it only by
 * case, spaces (no-break and zero-width ones too), underscores and hyphens ({@code " customer_id"}, {@code "product id"}
 * for {@code Product_ID}), or Unicode form. A header holding a control character (a NUL byte) stops the run. A
 * required column that is not there stops the run; an optional one is read as blank. A header written twice, or two
 * headers that both fit one column ({@code Customer_ID} and {@code customer id}, even though one is exact), stop the
 * run: which of the two columns holds the values cannot be known.
 */
final class HeaderMatch {
  private static final Logger LOG = LoggerFactory.getLogger(HeaderMatch.class);
  /** Spaces of every kind (a no-break space copied from a web page), zero-width ones, underscores and hyphens. */
  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\p{Z}\u200B-\u200D\u2060\uFEFF_-]+");

  private HeaderMatch() {}

  /** @return for each contract column, in contract order, the header it is read from, or empty when absent */
  static Map<String, Optional<String>> resolve(SheetContract sheet, List<String> headers) {
    Map<String, Optional<String>> found = new LinkedHashMap<>();
    for (ColumnRule rule : sheet.columns()) {
      Optional<String> header = find(sheet, rule.name(), headers);
      if (header.isEmpty()) {
        if (rule.required() || rule.name().equals(sheet.key())) {
          throw new ContractException("sheet '" + sheet.name() + "' has no column '" + rule.name()
              + "', which the data contract requires; columns found: " + String.join(", ", headers));
        }
        LOG.warn("sheet '{}' has no column '{}'; it is read as blank in every row", sheet.name(), rule.name());
      }
      found.put(rule.name(), header);
    }
    return found;
  }

  private static Optional<String> find(SheetContract sheet, String column, List<String> headers) {
    String wanted = normal(column);
    List<String> close = new ArrayList<>();
    for (String header : headers) {
      if (normal(header).equals(wanted)) {
        close.add(header);
      }
    }
    if (close.size() > 1) {
      throw new ContractException("sheet '" + sheet.name() + "' has several columns that could be '" + column
          + "': " + String.join(", ", close) + "; rename all but one");
    }
    if (close.isEmpty()) {
      return Optional.empty();
    }
    if (!close.get(0).equals(column)) {
      LOG.warn("sheet '{}': reading column '{}' from header '{}' (differs in case, spaces, underscores or hyphens)",
          sheet.name(), column, close.get(0));
    }
    return Optional.of(close.get(0));
  }

  private static String normal(String header) {
    return SEPARATORS.matcher(TextCells.cleaned(header).toLowerCase(Locale.ROOT)).replaceAll("");
  }

  /**
   * Refuses a sheet whose header row holds a control character (naming the sheet, the header and its position) or
   * the same name twice (naming both positions).
   */
  static void requireReadableAndUnique(String sheet, List<String> headers) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < headers.size(); i++) {
      if (TextCells.controlCharacter(headers.get(i)) >= 0) {
        throw new ContractException("sheet '" + sheet + "' has a header holding a control character: '"
            + TextCells.withoutControls(headers.get(i)) + "' (column " + (i + 1) + "); the file is likely corrupt");
      }
      Integer first = seen.putIfAbsent(headers.get(i), i);
      if (first != null) {
        throw new ContractException("sheet '" + sheet + "' has the header '" + headers.get(i) + "' twice (columns "
            + (first + 1) + " and " + (i + 1) + "); rename one so each column has its own name");
      }
    }
  }
}
