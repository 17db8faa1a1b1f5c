package dev.segments.sink.loopback;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The in-process DuckDB the loopback keeps its tables in (one DuckDB schema per dataset, clock zone UTC). A DuckDB
 * error is BigQuery's 400 {@code invalidQuery} with DuckDB's message.
 */
final class DuckDbEngine implements AutoCloseable {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /**
   * The macro every divisor of a {@code /} is wrapped in: BigQuery raises "division by zero" where DuckDB answers
   * Infinity or NULL (https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#arithmetic_operators).
   */
  static final String DIVISOR = "bq_divisor";

  private final Connection duck;

  DuckDbEngine() throws SQLException {
    duck = DriverManager.getConnection("jdbc:duckdb:");
    try (java.sql.Statement statement = duck.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
      statement.execute("CREATE MACRO " + DIVISOR + "(x) AS CASE WHEN x = 0 THEN error('division by zero') ELSE x END");
    }
  }

  /** Runs DuckDB SQL over the stored tables ({@code dataset.table}) and answers the rows, for assertions. */
  List<List<Object>> rows(String duckDbSql) {
    try (java.sql.Statement statement = duck.createStatement(); ResultSet rs = statement.executeQuery(duckDbSql)) {
      List<List<Object>> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int c = 1; c <= columns; c++) {
          row.add(rs.getObject(c));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }


  void execute(String duckSql) {
    try (java.sql.Statement statement = duck.createStatement()) {
      statement.execute(duckSql);
    } catch (SQLException e) {
      throw BigQueryError.invalidQuery(duckMessage(e));
    }
  }

  long update(String duckSql) {
    try (java.sql.Statement statement = duck.createStatement()) {
      statement.execute(duckSql);
      return Math.max(0, statement.getUpdateCount());
    } catch (SQLException e) {
      throw BigQueryError.invalidQuery(duckMessage(e));
    }
  }

  QueryResult select(String duckSql) {
    try (java.sql.Statement statement = duck.createStatement(); ResultSet rs = statement.executeQuery(duckSql)) {
      List<ObjectNode> fields = fieldsOf(fields(rs.getMetaData()));
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(fields.size());
        for (int c = 1; c <= fields.size(); c++) {
          row.add(rs.getObject(c));
        }
        rows.add(row);
      }
      return new QueryResult(fields, rows, "SELECT", null, null, null);
    } catch (SQLException e) {
      throw BigQueryError.invalidQuery(duckMessage(e));
    }
  }

  ArrayNode resultSchema(String duckSql) {
    try (java.sql.Statement statement = duck.createStatement(); ResultSet rs = statement.executeQuery(duckSql)) {
      return fields(rs.getMetaData());
    } catch (SQLException e) {
      throw BigQueryError.invalidQuery(duckMessage(e));
    }
  }

  private static ArrayNode fields(ResultSetMetaData metadata) throws SQLException {
    ArrayNode fields = NODES.arrayNode();
    for (int c = 1; c <= metadata.getColumnCount(); c++) {
      ObjectNode field = fields.addObject();
      field.put("name", metadata.getColumnLabel(c));
      field.put("type", BigQueryTypes.bigQueryType(metadata.getColumnTypeName(c)));
      field.put("mode", "NULLABLE");
    }
    return fields;
  }

  private static String duckMessage(SQLException e) {
    String message = String.valueOf(e.getMessage());
    return "Query error (DuckDB): " + message.replaceAll("\\s+", " ").strip();
  }

  static List<ObjectNode> fieldsOf(ArrayNode fields) {
    List<ObjectNode> list = new ArrayList<>();
    fields.forEach(f -> list.add((ObjectNode) f));
    return list;
  }

  /** Inserts a query result's rows into a table, column by column in the table's order. */
  void insertRows(TableMeta table, QueryResult source) {
    String columns = table.fields.findValuesAsText("name").stream().map(GoogleSql::quoteIdentifier)
        .collect(Collectors.joining(", "));
    String placeholders = table.fields.findValuesAsText("name").stream().map(n -> "?")
        .collect(Collectors.joining(", "));
    try (var insert = duck.prepareStatement("INSERT INTO " + table.duckName() + " (" + columns + ") VALUES ("
        + placeholders + ")")) {
      for (List<Object> row : source.rows()) {
        for (int c = 0; c < row.size(); c++) {
          insert.setObject(c + 1, row.get(c));
        }
        insert.addBatch();
      }
      insert.executeBatch();
    } catch (SQLException e) {
      throw BigQueryError.invalidQuery(e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      duck.close();
    } catch (SQLException e) {
      // the database is in memory; nothing is lost
    }
  }
}
