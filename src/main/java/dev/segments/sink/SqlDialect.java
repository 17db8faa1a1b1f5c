package dev.segments.sink;

import java.util.List;

/**
 * The SQL dialects the views are rendered in. The view files are written in SQL every engine here accepts; the few
 * functions whose spelling differs appear there as placeholders and are rendered here, and only here:
 * <ul>
 *   <li>{@code {{days_between(start, end)}}}: whole days from the date {@code start} to the date {@code end};</li>
 *   <li>{@code {{month_start(date)}}}: the first day of the date's month, as a date.</li>
 * </ul>
 */
public enum SqlDialect {
  DUCKDB,
  BIGQUERY,
  /** Spark SQL, for notebooks that register the views over the Parquet outputs. */
  SPARK;

  /** Renders the function placeholder {@code name(args)}; unknown names and wrong argument counts fail. */
  String function(String name, List<String> args) {
    return switch (name) {
      case "days_between" -> {
        requireArguments(name, args, 2);
        yield switch (this) {
          case DUCKDB -> "DATE_DIFF('day', " + args.get(0) + ", " + args.get(1) + ")";
          case BIGQUERY -> "DATE_DIFF(" + args.get(1) + ", " + args.get(0) + ", DAY)";
          case SPARK -> "DATEDIFF(" + args.get(1) + ", " + args.get(0) + ")";
        };
      }
      case "month_start" -> {
        requireArguments(name, args, 1);
        yield switch (this) {
          // DuckDB's DATE_TRUNC answers a timestamp for some argument types; the cast keeps the column a DATE.
          case DUCKDB -> "CAST(DATE_TRUNC('month', " + args.get(0) + ") AS DATE)";
          case BIGQUERY -> "DATE_TRUNC(" + args.get(0) + ", MONTH)";
          // Spark's DATE_TRUNC answers a timestamp; TRUNC keeps a date.
          case SPARK -> "TRUNC(" + args.get(0) + ", 'MM')";
        };
      }
      default -> throw new IllegalArgumentException(
          "unknown SQL function placeholder {{" + name + "(...)}}; known: days_between, month_start");
    };
  }

  private static void requireArguments(String name, List<String> args, int expected) {
    if (args.size() != expected) {
      throw new IllegalArgumentException(
          "SQL function placeholder " + name + " takes " + expected + " argument(s), got " + args.size() + ": " + args);
    }
  }
}
