package dev.segments.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds each contract column among a sheet's headers: the exact name first, else the one header that differs only by
 * case or surrounding spaces ({@code " customer_id"}). A required column that is not there stops the run; an
 * optional one is read as blank.
 */
final class HeaderMatch {
  private static final Logger LOG = LoggerFactory.getLogger(HeaderMatch.class);

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
    if (headers.contains(column)) {
      return Optional.of(column);
    }
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
    if (close.size() == 1) {
      LOG.warn("sheet '{}': reading column '{}' from header '{}' (differs in case or spaces)",
          sheet.name(), column, close.get(0));
      return Optional.of(close.get(0));
    }
    return Optional.empty();
  }

  private static String normal(String header) {
    return header.strip().toLowerCase(Locale.ROOT);
  }
}
