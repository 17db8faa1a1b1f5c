package dev.segments.sink.loopback;

/** The REST methods of the loopback BigQuery where {@link Faults} can make a call fail as BigQuery would. */
public enum Step {
  DATASETS_GET,
  DATASETS_INSERT,
  DATASETS_LIST,
  DATASETS_DELETE,
  TABLES_GET,
  TABLES_INSERT,
  TABLES_PATCH,
  TABLES_DELETE,
  TABLES_LIST,
  TABLEDATA_LIST,
  JOBS_INSERT,
  JOBS_GET,
  JOBS_QUERY,
  JOBS_GET_QUERY_RESULTS,
  JOBS_CANCEL
}
