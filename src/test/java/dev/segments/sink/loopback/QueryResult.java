package dev.segments.sink.loopback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A statement's result: the schema fields and rows of a SELECT, or the rows a DML statement changed. */
record QueryResult(List<ObjectNode> fields, List<List<Object>> rows, String statementType, Long affectedRows,
    String ddlOperation, TableMeta ddlTarget) {
  static QueryResult of(String statementType) {
    return new QueryResult(List.of(), List.of(), statementType, null, null, null);
  }
}
