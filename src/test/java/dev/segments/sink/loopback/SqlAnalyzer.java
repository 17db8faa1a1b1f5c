package dev.segments.sink.loopback;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/** Checks a GoogleSQL statement or script against the catalog as BigQuery would; refuses with a {@link BigQueryError}. */
interface SqlAnalyzer {
  /** A table or view of the catalog with its BigQuery schema fields. */
  record CatalogTable(String project, String dataset, String table, ArrayNode fields) {}

  void analyze(String sql, List<CatalogTable> tables, String project, String defaultDataset);
}
