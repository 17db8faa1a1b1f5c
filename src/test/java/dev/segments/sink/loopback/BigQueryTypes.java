package dev.segments.sink.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** BigQuery's type names (REST/legacy and GoogleSQL) and their DuckDB column types. */
final class BigQueryTypes {
  private BigQueryTypes() {}

  /** BigQuery's REST (legacy) type name for a GoogleSQL or legacy name. */
  static String legacyType(String type) {
    String upper = type.toUpperCase(Locale.ROOT);
    return switch (upper) {
      case "INT64", "INT", "SMALLINT", "BIGINT", "TINYINT", "BYTEINT" -> "INTEGER";
      case "FLOAT64" -> "FLOAT";
      case "BOOL" -> "BOOLEAN";
      case "STRUCT" -> "RECORD";
      case "DECIMAL" -> "NUMERIC";
      case "BIGDECIMAL" -> "BIGNUMERIC";
      default -> upper;
    };
  }

  static String duckType(JsonNode field) {
    if (field.path("mode").asText().equals("REPEATED")) {
      throw BigQueryError.invalid("The loopback BigQuery does not support REPEATED fields (" + field.path("name")
          .asText() + ")");
    }
    String type = legacyType(field.path("type").asText());
    return switch (type) {
      case "STRING", "JSON" -> "VARCHAR";
      case "BYTES" -> "BLOB";
      case "INTEGER" -> "BIGINT";
      case "FLOAT" -> "DOUBLE";
      case "NUMERIC", "BIGNUMERIC" -> "DECIMAL(38, 9)";
      case "BOOLEAN" -> "BOOLEAN";
      case "TIMESTAMP" -> "TIMESTAMPTZ";
      case "DATE" -> "DATE";
      case "TIME" -> "TIME";
      case "DATETIME" -> "TIMESTAMP";
      default -> throw BigQueryError.invalid("The loopback BigQuery does not support type " + type + " (field "
          + field.path("name").asText() + ")");
    };
  }

  /** BigQuery's type for a DuckDB column type. */
  static String bigQueryType(String duckType) {
    String upper = duckType.toUpperCase(Locale.ROOT);
    if (upper.startsWith("DECIMAL")) {
      return "NUMERIC";
    }
    return switch (upper) {
      case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT" ->
          "INTEGER";
      case "DOUBLE", "FLOAT", "REAL" -> "FLOAT";
      case "BOOLEAN" -> "BOOLEAN";
      case "DATE" -> "DATE";
      case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> "TIMESTAMP";
      case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S" -> "DATETIME";
      case "TIME" -> "TIME";
      case "BLOB" -> "BYTES";
      default -> "STRING";
    };
  }
}
