package dev.segments.sink;

import java.util.List;

/**
 * A reporting view as written in {@code src/main/resources/sql/<name>.sql}.
 *
 * @param name the view's name, the same in every warehouse
 * @param description the file's leading comment lines, for plans and docs
 * @param template the SELECT statement with {@code {{table}}} and {@code {{function(args)}}} placeholders
 * @param references the tables and earlier views it reads, in order of first use
 */
public record View(String name, String description, String template, List<String> references) {
  public View {
    references = List.copyOf(references);
  }
}
