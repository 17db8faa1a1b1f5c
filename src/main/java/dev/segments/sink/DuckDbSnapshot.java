package dev.segments.sink;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a version's {@code segments.duckdb}: one table per Parquet table folder, copied in (so the file stands on
 * its own and is readable wherever the version folder goes), then the reporting views, then every table's, view's
 * and column's description as a comment.
 */
final class DuckDbSnapshot {
  static final String FILE_NAME = "segments.duckdb";

  private final ViewCatalog views;
  private final ColumnDescriptions descriptions;

  DuckDbSnapshot(ViewCatalog views) {
    this.views = views;
    this.descriptions = ColumnDescriptions.load(views);
  }

  /** Row counts of the tables built, in total and for {@code runDate}. */
  record RowCounts(Map<String, Long> total, Map<String, Long> runDate) {}

  RowCounts build(Path versionFolder, Collection<String> tables, LocalDate runDate) throws SQLException {
    Map<String, Long> total = new LinkedHashMap<>();
    Map<String, Long> ofRunDate = new LinkedHashMap<>();
    String url = "jdbc:duckdb:" + versionFolder.resolve(FILE_NAME).toAbsolutePath();
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      for (String table : tables) {
        String files = versionFolder.resolve(table).toAbsolutePath() + "/*/*.parquet";
        // run_date comes from the folder names; its type is stated, not guessed, and older dates may lack columns.
        statement.execute("CREATE TABLE " + table + " AS SELECT run_date, * EXCLUDE (run_date) FROM read_parquet("
            + quote(files) + ", hive_partitioning = true, hive_types = {'run_date': DATE}, union_by_name = true)");
        requireDateRunDate(connection, table);
        total.put(table, count(connection, table, null));
        ofRunDate.put(table, count(connection, table, runDate));
      }
      for (View view : views.views()) {
        statement.execute("CREATE VIEW " + view.name() + " AS "
            + ViewCatalog.render(view, SqlDialect.DUCKDB, name -> name));
      }
      describe(connection, statement, tables);
      statement.execute("CHECKPOINT");
    }
    return new RowCounts(total, ofRunDate);
  }

  /** Every table, view and column gets its description from {@link ColumnDescriptions} as a DuckDB comment. */
  private void describe(Connection connection, Statement statement, Collection<String> tables) throws SQLException {
    Map<String, List<String>> columns = new LinkedHashMap<>();
    try (ResultSet result = statement.executeQuery("SELECT table_name, column_name FROM duckdb_columns() "
        + "WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index")) {
      while (result.next()) {
        columns.computeIfAbsent(result.getString(1), t -> new ArrayList<>()).add(result.getString(2));
      }
    }
    for (String table : tables) {
      statement.execute("COMMENT ON TABLE " + table + " IS " + quote(descriptions.table(table)));
      comment(statement, table, columns);
    }
    for (View view : views.views()) {
      statement.execute("COMMENT ON VIEW " + view.name() + " IS " + quote(view.description()));
      comment(statement, view.name(), columns);
    }
  }

  private void comment(Statement statement, String relation, Map<String, List<String>> columns) throws SQLException {
    for (Map.Entry<String, String> column : descriptions.columns(relation, columns.get(relation), columns)
        .entrySet()) {
      statement.execute("COMMENT ON COLUMN " + relation + "." + quoteIdentifier(column.getKey()) + " IS "
          + quote(column.getValue()));
    }
  }

  private static String quoteIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static void requireDateRunDate(Connection connection, String table) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT data_type FROM information_schema.columns WHERE table_name = ? AND column_name = 'run_date'")) {
      query.setString(1, table);
      try (ResultSet result = query.executeQuery()) {
        String type = result.next() ? result.getString(1) : "missing";
        if (!"DATE".equals(type)) {
          throw new IllegalStateException("DuckDB table " + table + " has run_date of type " + type + ", expected DATE");
        }
      }
    }
  }

  private static long count(Connection connection, String table, LocalDate runDate) throws SQLException {
    String sql = "SELECT COUNT(*) FROM " + table + (runDate == null ? "" : " WHERE run_date = ?");
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      if (runDate != null) {
        query.setObject(1, runDate);
      }
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }

  private static String quote(String literal) {
    return "'" + literal.replace("'", "''") + "'";
  }
}
