package dev.segments.sink.loopback;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/** Checks GoogleSQL as BigQuery would before the loopback runs it; refuses with a {@link BigQueryError}. */
interface SqlAnalyzer {
  /** A table or view of the catalog with its BigQuery schema fields; a script's temporary table has no dataset. */
  record CatalogTable(String project, String dataset, String table, ArrayNode fields) {}

  /** Checks a whole query text (one statement or a script) for syntax. */
  void parseScript(String sql);

  /** A query parameter: its name (null when positional) and BigQuery type. */
  record Parameter(String name, String type) {}

  /** Analyses one statement against the tables that exist when it runs, with the job's query parameters. */
  void analyze(String statement, List<CatalogTable> tables, String project, String defaultDataset,
      List<Parameter> parameters);
}
