package dev.segments.sink.loopback;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A job: its reference, configuration, outcome (an error or a result) and statistics. */
final class Job {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  final String project;
  final String id;
  String location;
  final ObjectNode configuration;
  BigQueryError error;
  QueryResult result;
  ObjectNode statistics = NODES.objectNode();
  final long created;

  Job(String project, String id, String location, ObjectNode configuration, long created) {
    this.project = project;
    this.id = id;
    this.location = location;
    this.configuration = configuration;
    this.created = created;
  }
}
