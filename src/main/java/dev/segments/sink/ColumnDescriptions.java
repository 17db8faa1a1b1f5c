package dev.segments.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The description of every output column and table, kept in one place, {@code sql/columns.yaml} (its header says how
 * a column is looked up), and written by both sinks: BigQuery column and table descriptions, DuckDB
 * {@code COMMENT ON}. A column no rule describes stops the publish, naming it.
 */
public final class ColumnDescriptions {
  private static final String RESOURCE = "/sql/columns.yaml";
  private static final String ANY = "*";

  private final JsonNode root;
  private final ViewCatalog views;

  private ColumnDescriptions(JsonNode root, ViewCatalog views) {
    this.root = root;
    this.views = views;
  }

  public static ColumnDescriptions load(ViewCatalog views) {
    try (InputStream in = ColumnDescriptions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing class path resource " + RESOURCE);
      }
      return new ColumnDescriptions(new ObjectMapper(new YAMLFactory()).readTree(in), views);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** The table's description; a view's is its SQL file's leading comment ({@link View#description()}). */
  public String table(String table) {
    JsonNode text = root.path("tables").path(table).path("description");
    if (!text.isTextual()) {
      throw new IllegalStateException("sql/columns.yaml has no description of table " + table);
    }
    return text.asText();
  }

  /**
   * The column's description.
   *
   * @param relation a table or view name
   * @param columnsOf the columns of every table and view published so far, for a view's pass-through columns
   * @throws IllegalStateException when nothing describes it
   */
  public String column(String relation, String column, Map<String, ? extends Collection<String>> columnsOf) {
    return find(relation, column, columnsOf).orElseThrow(() -> new IllegalStateException("column " + column + " of "
        + relation + " has no description: add it to src/main/resources" + RESOURCE));
  }

  /** Every column of a relation described, in the order given. */
  public Map<String, String> columns(String relation, Collection<String> columns,
      Map<String, ? extends Collection<String>> columnsOf) {
    Map<String, String> described = new LinkedHashMap<>();
    columns.forEach(c -> described.put(c, column(relation, c, columnsOf)));
    return described;
  }

  private Optional<String> find(String relation, String column, Map<String, ? extends Collection<String>> columnsOf) {
    JsonNode own = root.path("tables").has(relation) ? root.path("tables").path(relation).path("columns")
        : root.path("views").path(relation);
    if (own.path(column).isTextual()) {
      return Optional.of(own.path(column).asText());
    }
    Optional<String> pattern = pattern(own, column);
    if (pattern.isPresent()) {
      return pattern;
    }
    if (root.path("shared").path(column).isTextual()) {
      return Optional.of(root.path("shared").path(column).asText());
    }
    Optional<View> view = views.views().stream().filter(v -> v.name().equals(relation)).findFirst();
    if (view.isPresent()) {
      for (String reference : view.get().references()) {
        Collection<String> referenced = columnsOf.get(reference);
        if (referenced != null && referenced.contains(column)) {
          Optional<String> passed = find(reference, column, columnsOf);
          if (passed.isPresent()) {
            return passed;
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The best pattern for the column: one with a fixed part before the whole-name {@code *}. */
  private static Optional<String> pattern(JsonNode own, String column) {
    String any = null;
    for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) own::fields) {
      String key = entry.getKey();
      int star = key.indexOf('*');
      if (key.equals(ANY)) {
        any = entry.getValue().asText().replace("{}", column);
      } else if (star >= 0) {
        String prefix = key.substring(0, star);
        String suffix = key.substring(star + 1);
        if (column.length() > prefix.length() + suffix.length() && column.startsWith(prefix)
            && column.endsWith(suffix)) {
          return Optional.of(entry.getValue().asText()
              .replace("{}", column.substring(prefix.length(), column.length() - suffix.length())));
        }
      }
    }
    return Optional.ofNullable(any);
  }
}
