package dev.segments.sink.loopback;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of one script run: the job's location, whether a transaction is open and the tables it changed, its
 * temporary tables (by name, with their schema fields; dropped when the script ends) and its parameters.
 */
final class ScriptRun {
  final Job job;
  final String text;
  final String defaultDataset;
  String location;
  boolean inTransaction;
  int handledDepth;
  final List<SqlAnalyzer.Parameter> parameters = new ArrayList<>();
  final Map<String, String> namedValues = new LinkedHashMap<>();
  final List<String> positionalValues = new ArrayList<>();
  QueryResult last;
  String caughtMessage;
  final Set<TableMeta> changed = new LinkedHashSet<>();
  final Map<String, ArrayNode> temporaryTables = new LinkedHashMap<>();

  ScriptRun(Job job, String text, String defaultDataset) {
    this.job = job;
    this.text = text;
    this.defaultDataset = defaultDataset;
    this.location = job.location;
  }
}
