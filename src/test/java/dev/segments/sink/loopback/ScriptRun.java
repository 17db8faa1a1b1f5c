package dev.segments.sink.loopback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The state of one script run: the job's location, the datasets it used and whether a transaction is open. */
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

  ScriptRun(Job job, String text, String defaultDataset) {
    this.job = job;
    this.text = text;
    this.defaultDataset = defaultDataset;
    this.location = job.location;
  }
}
