package dev.segments.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reporting views, loaded from the class path folder {@code sql/}: {@code views.txt} lists them in creation
 * order (a view reads only tables and views listed above it) and {@code <name>.sql} holds each one's SELECT.
 *
 * <p>Besides the dialect functions of {@link SqlDialect}, a view may filter on {@code {{latest_run_date(table)}}}:
 * the latest night. Rendered without a date it is {@code (SELECT MAX(run_date) FROM table)}, evaluated when the view
 * is queried (DuckDB, Spark); rendered with the date the publish just made the latest, it is that date as a constant
 * ({@code DATE '2026-11-30'}), because BigQuery prunes partitions only for a constant filter on the partitioning
 * column, and a filter that needs a subquery scans every partition, every night's snapshot
 * (https://cloud.google.com/bigquery/docs/querying-partitioned-tables#use_a_constant_filter_expression). The
 * BigQuery publish replaces the views after each night's commit, so the constant moves with the data.
 */
public final class ViewCatalog {
  private static final String FOLDER = "/sql/";
  /** The placeholder of the latest night's run date, {@code {{latest_run_date(table)}}}. */
  private static final String LATEST_RUN_DATE = "latest_run_date";
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*([a-z_][a-z0-9_]*)\\s*(?:\\((.*?)\\))?\\s*}}", Pattern.DOTALL);

  private final List<View> views;

  private ViewCatalog(List<View> views) {
    this.views = List.copyOf(views);
  }

  /** Loads and checks the bundled views: every placeholder names a known table, an earlier view or a function. */
  public static ViewCatalog load() {
    Set<String> known = new HashSet<>();
    for (OutputTable table : OutputTable.values()) {
      known.add(table.tableName());
    }
    List<View> views = new ArrayList<>();
    for (String name : readIndex()) {
      View view = parse(name, read(name + ".sql"));
      for (String reference : view.references()) {
        if (!known.contains(reference)) {
          throw new IllegalStateException("sql/" + name + ".sql reads {{" + reference
              + "}}, which is neither an output table nor a view listed before it in sql/views.txt");
        }
      }
      for (SqlDialect dialect : SqlDialect.values()) {
        try {
          render(view, dialect, Function.identity());
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("sql/" + name + ".sql: " + e.getMessage(), e);
        }
      }
      known.add(name);
      views.add(view);
    }
    return new ViewCatalog(views);
  }

  /** The views in creation order. */
  public List<View> views() {
    return views;
  }

  /**
   * The view's SELECT in the dialect, each table or view placeholder replaced by {@code tableReference} of its
   * name (a bare name in DuckDB, {@code `project.dataset.name`} in BigQuery).
   */
  public static String render(View view, SqlDialect dialect, Function<String, String> tableReference) {
    return render(view, dialect, tableReference, null);
  }

  /**
   * As {@link #render(View, SqlDialect, Function)}, with {@code {{latest_run_date(table)}}} written as the constant
   * {@code latestRunDate}; null reads the table's latest run date when the view is queried.
   */
  public static String render(View view, SqlDialect dialect, Function<String, String> tableReference,
      LocalDate latestRunDate) {
    Matcher matcher = PLACEHOLDER.matcher(view.template());
    StringBuilder sql = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String replacement;
      if (matcher.group(2) == null) {
        replacement = tableReference.apply(name);
      } else if (name.equals(LATEST_RUN_DATE)) {
        replacement = latestRunDate != null ? "DATE '" + latestRunDate + "'"
            : "(SELECT MAX(" + OutputTable.RUN_DATE + ") FROM " + tableReference.apply(matcher.group(2).strip()) + ")";
      } else {
        replacement = dialect.function(name, splitArguments(matcher.group(2)));
      }
      matcher.appendReplacement(sql, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(sql);
    return sql.toString();
  }

  private static View parse(String name, String text) {
    List<String> lines = Arrays.asList(text.strip().split("\\R"));
    int body = 0;
    StringBuilder description = new StringBuilder();
    while (body < lines.size() && lines.get(body).strip().startsWith("--")) {
      String comment = lines.get(body).strip().substring(2).strip();
      description.append(description.length() == 0 ? "" : " ").append(comment);
      body++;
    }
    String template = String.join("\n", lines.subList(body, lines.size())).strip();
    if (template.endsWith(";")) {
      template = template.substring(0, template.length() - 1).strip();
    }
    if (template.contains(";")) {
      throw new IllegalStateException("sql/" + name + ".sql must hold one statement");
    }
    Set<String> references = new LinkedHashSet<>();
    Matcher matcher = PLACEHOLDER.matcher(template);
    while (matcher.find()) {
      if (matcher.group(2) == null) {
        references.add(matcher.group(1));
      } else if (matcher.group(1).equals(LATEST_RUN_DATE)) {
        references.add(matcher.group(2).strip());
      }
    }
    return new View(name, description.toString(), template, new ArrayList<>(references));
  }

  /** Splits function arguments on the commas outside parentheses. */
  private static List<String> splitArguments(String arguments) {
    List<String> result = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < arguments.length(); i++) {
      char c = arguments.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        result.add(arguments.substring(start, i).strip());
        start = i + 1;
      }
    }
    result.add(arguments.substring(start).strip());
    return result;
  }

  private static List<String> readIndex() {
    List<String> names = new ArrayList<>();
    for (String line : read("views.txt").split("\\R")) {
      String name = line.strip();
      if (!name.isEmpty() && !name.startsWith("#")) {
        names.add(name);
      }
    }
    return names;
  }

  private static String read(String file) {
    try (InputStream in = ViewCatalog.class.getResourceAsStream(FOLDER + file)) {
      if (in == null) {
        throw new IllegalStateException("missing class path resource sql/" + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read sql/" + file, e);
    }
  }
}
