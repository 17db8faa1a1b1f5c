package dev.segments.sink.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A table or view: its schema fields, partitioning, clustering, options; the rows live in DuckDB. */
final class TableMeta {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  final DatasetMeta dataset;
  final String id;
  final String type;
  ArrayNode fields;
  ObjectNode timePartitioning;
  List<String> clustering = List.of();
  Long expirationTime;
  final Map<String, String> labels = new LinkedHashMap<>();
  String description;
  String viewQuery;
  final long created;
  long modified;

  TableMeta(DatasetMeta dataset, String id, String type, long created) {
    this.dataset = dataset;
    this.id = id;
    this.type = type;
    this.created = created;
    this.modified = created;
  }

  String duckName() {
    return GoogleSql.quoteIdentifier(dataset.id) + "." + GoogleSql.quoteIdentifier(id);
  }

  String friendly() {
    return dataset.project + ":" + dataset.id + "." + id;
  }

  /** The table's {@code tableReference}. */
  ObjectNode reference() {
    ObjectNode reference = NODES.objectNode();
    reference.put("projectId", dataset.project);
    reference.put("datasetId", dataset.id);
    reference.put("tableId", id);
    return reference;
  }

  /** The field named {@code name} (case-insensitive, as BigQuery compares column names), or null. */
  static JsonNode field(JsonNode fields, String name) {
    for (JsonNode field : fields) {
      if (field.path("name").asText().equalsIgnoreCase(name)) {
        return field;
      }
    }
    return null;
  }
}
