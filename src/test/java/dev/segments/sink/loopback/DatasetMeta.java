package dev.segments.sink.loopback;

import java.util.LinkedHashMap;
import java.util.Map;

/** A dataset: its reference, location, options and tables (by id, in creation order). */
final class DatasetMeta {
  final String project;
  final String id;
  final String location;
  final Map<String, String> labels = new LinkedHashMap<>();
  Long defaultTableExpirationMs;
  String description;
  final long created;
  long modified;
  final Map<String, TableMeta> tables = new LinkedHashMap<>();

  DatasetMeta(String project, String id, String location, long created) {
    this.project = project;
    this.id = id;
    this.location = location;
    this.created = created;
    this.modified = created;
  }
}
