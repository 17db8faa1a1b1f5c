package dev.segments.sink.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.sink.loopback.GoogleSql.Block;
import dev.segments.sink.loopback.GoogleSql.Node;
import dev.segments.sink.loopback.GoogleSql.Statement;
import dev.segments.sink.loopback.GoogleSql.TablePath;
import dev.segments.sink.loopback.GoogleSql.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Query and load jobs and their state: {@code jobs.insert}, {@code jobs.query} (idempotent by {@code requestId}),
 * the results a job keeps for {@code getQueryResults} and {@code tabledata.list}, dry runs, and the scripts of a
 * query job run statement by statement: BEGIN ... EXCEPTION ... END blocks, RAISE, query parameters, and
 * multi-statement transactions (BEGIN, COMMIT, ROLLBACK, the rollback of a script that fails or ends inside one).
 * Every statement is analysed by ZetaSQL ({@link SqlAnalyzer}) before it runs.
 */
final class Jobs {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final Catalog catalog;
  private final DuckDbEngine engine;
  private final SqlTranslation translation;
  private final LoadJobs loads;
  private final Faults faults;
  private final List<String> statements;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final SqlAnalyzer analyzer = new ZetaSqlAnalyzer();

  Jobs(Catalog catalog, DuckDbEngine engine, LoadJobs loads, Faults faults, List<String> statements) {
    this.catalog = catalog;
    this.engine = engine;
    this.translation = new SqlTranslation(catalog, engine);
    this.loads = loads;
    this.faults = faults;
    this.statements = statements;
  }

  Job job(String project, String id) {
    Job job = jobs.get(id);
    if (job == null || !job.project.equals(project)) {
      throw BigQueryError.notFound("Job " + project + ":" + id);
    }
    return job;
  }

  /** {@code jobs.insert}: runs a query or load job at once; a failed job is DONE with its error. */
  Job insertJob(String project, JsonNode body) {
    JsonNode reference = body.path("jobReference");
    String id = reference.path("jobId").asText(UUID.randomUUID().toString());
    BigQueryRules.checkJobId(id);
    String location = reference.hasNonNull("location") ? reference.get("location").asText() : null;
    if (jobs.containsKey(id)) {
      throw BigQueryError.duplicate("Job " + project + ":" + (location == null ? "" : location + ".") + id);
    }
    ObjectNode configuration = body.path("configuration").isObject()
        ? (ObjectNode) body.get("configuration").deepCopy() : NODES.objectNode();
    BigQueryRules.checkLabels(configuration.path("labels"));
    Job job = new Job(project, id, location, configuration, catalog.millis());
    if (!configuration.path("dryRun").asBoolean(false)) {
      jobs.put(id, job);
    }
    try {
      if (configuration.has("query")) {
        configuration.put("jobType", "QUERY");
        runQueryJob(job, configuration.path("query"), configuration.path("dryRun").asBoolean(false));
      } else if (configuration.has("load")) {
        configuration.put("jobType", "LOAD");
        loads.run(job, (ObjectNode) configuration.get("load"));
      } else {
        throw BigQueryError.invalid("The loopback BigQuery runs query and load jobs only");
      }
    } catch (BigQueryError e) {
      if (configuration.path("dryRun").asBoolean(false)) {
        throw e;
      }
      job.error = e;
    }
    return job;
  }

  /** {@code jobs.query}: runs the query as a job and answers it; a failed query throws its error. */
  Job query(String project, JsonNode body) {
    ObjectNode configuration = NODES.objectNode();
    ObjectNode query = configuration.putObject("query");
    for (String key : List.of("query", "useLegacySql", "defaultDataset", "queryParameters", "parameterMode",
        "labels", "maximumBytesBilled", "createSession", "connectionProperties")) {
      if (body.has(key)) {
        query.set(key, body.get(key));
      }
    }
    if (body.has("labels")) {
      BigQueryRules.checkLabels(body.get("labels"));
      configuration.set("labels", body.get("labels"));
    }
    boolean dryRun = body.path("dryRun").asBoolean(false);
    if (dryRun) {
      configuration.put("dryRun", true);
    }
    configuration.put("jobType", "QUERY");
    String id = body.hasNonNull("requestId") ? "job_" + body.get("requestId").asText().replace("-", "_")
        : "job_" + UUID.randomUUID().toString().replace("-", "_");
    String location = body.hasNonNull("location") ? body.get("location").asText() : null;
    Job job = jobs.get(id);
    if (job == null || dryRun) {
      // A repeated requestId (a client retry) answers the first run's outcome instead of running again
      // (https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query#QueryRequest, requestId).
      job = new Job(project, id, location, configuration, catalog.millis());
      try {
        runQueryJob(job, query, dryRun);
      } catch (BigQueryError e) {
        job.error = e;
      }
      if (!dryRun) {
        jobs.put(id, job);
      }
    }
    if (job.error != null) {
      throw job.error;
    }
    ObjectNode json = NODES.objectNode();
    return job;
  }

  /** The rows of a query job's anonymous result table, for {@code tabledata.list}. */
  QueryResult anonymousResult(String project, String dataset, String tableId) {
    Job job = jobs.get(tableId.substring("anon_".length()));
    if (job == null || job.result == null) {
      throw BigQueryError.notFound("Table " + project + ":" + dataset + "." + tableId);
    }
    return job.result;
  }

  /** Records and analyses a view's query given through {@code tables.insert}. */
  void checkView(String sql) {
    statements.add(sql);
    analyze(sql, null, List.of(), Map.of());
  }

  private void runQueryJob(Job job, JsonNode query, boolean dryRun) {
    String sql = query.path("query").asText();
    statements.add(sql);
    if (query.has("destinationTable")) {
      throw BigQueryError.invalid("The loopback BigQuery does not write query results to a destinationTable");
    }
    if (query.path("useLegacySql").asBoolean(false)) {
      throw BigQueryError.invalid("The loopback BigQuery runs GoogleSQL only (useLegacySql is true)");
    }
    String defaultDataset = query.path("defaultDataset").path("datasetId").asText(null);
    analyzer.parseScript(sql);
    List<Node> nodes = GoogleSql.parseScript(sql);
    boolean script = nodes.size() != 1 || !(nodes.get(0) instanceof Statement);
    ScriptRun run = new ScriptRun(job, sql, defaultDataset);
    readParameters(query, run);
    ObjectNode queryStatistics = job.statistics.putObject("query");
    job.statistics.put("totalBytesProcessed", "0");
    queryStatistics.put("totalBytesProcessed", "0");
    queryStatistics.put("totalBytesBilled", "0");
    queryStatistics.put("cacheHit", false);
    if (dryRun) {
      if (script) {
        throw BigQueryError.invalidQuery("The loopback BigQuery dry-runs single statements only");
      }
      Statement statement = (Statement) nodes.get(0);
      analyze(statement.text(), run);
      QueryResult planned = plan(run, withParameters(run, statement));
      queryStatistics.put("statementType", planned.statementType());
      if (!planned.fields().isEmpty()) {
        ArrayNode fields = queryStatistics.putObject("schema").putArray("fields");
        planned.fields().forEach(fields::add);
      }
      job.location = run.location;
      job.result = planned;
      return;
    }
    try {
      try {
        runNodes(run, nodes);
      } catch (BigQueryError e) {
        rollback(run);
        throw e;
      }
      // A script that ends before COMMIT or ROLLBACK has its transaction rolled back (not an error).
      rollback(run);
    } finally {
      job.location = run.location;
      for (String table : run.temporaryTables.keySet()) {
        engine.execute("DROP TABLE IF EXISTS temp.main." + GoogleSql.quoteIdentifier(table));
      }
    }
    QueryResult result = run.last == null ? QueryResult.of("SCRIPT") : run.last;
    if (script) {
      queryStatistics.put("statementType", "SCRIPT");
      result = new QueryResult(result.fields(), result.rows(), "SCRIPT", null, null, null);
    } else {
      queryStatistics.put("statementType", result.statementType());
      if (result.affectedRows() != null) {
        queryStatistics.put("numDmlAffectedRows", String.valueOf(result.affectedRows()));
      }
      if (result.ddlOperation() != null) {
        queryStatistics.put("ddlOperationPerformed", result.ddlOperation());
        if (result.ddlTarget() != null) {
          queryStatistics.set("ddlTargetTable", result.ddlTarget().reference());
        }
      }
    }
    if (result.statementType().equals("SELECT") || script) {
      ObjectNode destination = ((ObjectNode) job.configuration.path("query")).putObject("destinationTable");
      destination.put("projectId", job.project);
      destination.put("datasetId", Catalog.ANONYMOUS_DATASET);
      destination.put("tableId", "anon_" + job.id);
      ArrayNode fields = queryStatistics.putObject("schema").putArray("fields");
      result.fields().forEach(fields::add);
    }
    job.result = result;
  }

  private void runNodes(ScriptRun run, List<Node> nodes) {
    for (Node node : nodes) {
      if (node instanceof Statement statement) {
        runStatement(run, statement);
      } else {
        Block block = (Block) node;
        try {
          run.handledDepth += block.handler() == null ? 0 : 1;
          try {
            runNodes(run, block.body());
          } finally {
            run.handledDepth -= block.handler() == null ? 0 : 1;
          }
        } catch (BigQueryError e) {
          if (block.handler() == null) {
            throw e;
          }
          run.caughtMessage = e.getMessage();
          runNodes(run, block.handler());
        }
      }
    }
  }

  private void runStatement(ScriptRun run, Statement statement) {
    if (statement.startsWith("BEGIN")) {
      if (run.inTransaction) {
        throw BigQueryError.invalidQuery("Transaction is already in progress; nested transactions are not "
            + "supported");
      }
      engine.execute("BEGIN TRANSACTION");
      run.inTransaction = true;
      return;
    }
    if (statement.startsWith("COMMIT")) {
      if (!run.inTransaction) {
        throw BigQueryError.invalidQuery("COMMIT TRANSACTION without an active transaction");
      }
      try {
        faults.checkCommit(run.text, run.changed.stream().map(TableMeta::friendly).toList());
        engine.execute("COMMIT");
      } catch (BigQueryError e) {
        rollback(run);
        throw e;
      }
      run.inTransaction = false;
      return;
    }
    if (statement.startsWith("ROLLBACK")) {
      if (!run.inTransaction) {
        throw BigQueryError.invalidQuery("ROLLBACK TRANSACTION without an active transaction");
      }
      rollback(run);
      return;
    }
    if (statement.startsWith("RAISE")) {
      String text = statement.text();
      String message = text.contains("@@error.message") && run.caughtMessage != null ? run.caughtMessage
          : statement.words().stream().filter(t -> t.kind() == GoogleSql.Kind.STRING).map(Token::value)
              .findFirst().orElse("RAISE");
      throw BigQueryError.invalidQuery(message);
    }
    try {
      analyze(statement.text(), run);
      QueryResult result = translation.execute(run, withParameters(run, statement));
      run.last = result;
    } catch (BigQueryError e) {
      // Inside BEGIN ... EXCEPTION the transaction stays open for the handler's ROLLBACK TRANSACTION; elsewhere the
      // script ends here and the transaction is rolled back.
      if (run.handledDepth == 0) {
        rollback(run);
      }
      throw e;
    }
  }

  private void rollback(ScriptRun run) {
    if (run.inTransaction) {
      engine.execute("ROLLBACK");
      run.inTransaction = false;
    }
  }

  private void analyze(String sql, ScriptRun run) {
    analyze(sql, run.defaultDataset, run.parameters, run.temporaryTables);
  }

  /** Analyses a statement against the stored tables and the script's temporary tables (by bare name). */
  private void analyze(String sql, String defaultDataset, List<SqlAnalyzer.Parameter> parameters,
      Map<String, ArrayNode> temporaryTables) {
    List<SqlAnalyzer.CatalogTable> tables = new ArrayList<>(catalog.catalogTables());
    temporaryTables.forEach((name, fields) -> tables.add(new SqlAnalyzer.CatalogTable(null, null, name, fields)));
    try {
      analyzer.analyze(sql, tables, catalog.projectId(), defaultDataset, parameters);
    } catch (BigQueryError e) {
      if (e.status == 404) {
        // BigQuery names the missing table as project:dataset.table with the location it looked in.
        List<TablePath> paths = GoogleSql.tablePaths(GoogleSql.tokenize(sql));
        boolean create = sql.strip().toUpperCase(Locale.ROOT).startsWith("CREATE");
        for (TablePath path : create && !paths.isEmpty() ? paths.subList(1, paths.size()) : paths) {
          catalog.resolveTable(path, defaultDataset, new LinkedHashSet<>());
        }
      }
      throw e;
    }
  }

  /**
   * The job's query parameters (https://cloud.google.com/bigquery/docs/parameterized-queries): named ({@code @name})
   * or positional ({@code ?}), scalar types only.
   */
  private static void readParameters(JsonNode query, ScriptRun run) {
    boolean positional = "POSITIONAL".equals(query.path("parameterMode").asText());
    for (JsonNode parameter : query.path("queryParameters")) {
      String type = parameter.path("parameterType").path("type").asText();
      if (type.equals("ARRAY") || type.equals("STRUCT")) {
        throw BigQueryError.invalid("The loopback BigQuery supports scalar query parameters only");
      }
      JsonNode value = parameter.path("parameterValue").path("value");
      String literal = value.isMissingNode() || value.isNull() ? "NULL" : parameterLiteral(type, value.asText());
      String name = positional || !parameter.hasNonNull("name") ? null : parameter.get("name").asText();
      run.parameters.add(new SqlAnalyzer.Parameter(name, type));
      if (name == null) {
        run.positionalValues.add(literal);
      } else {
        run.namedValues.put(name.toLowerCase(Locale.ROOT), literal);
      }
    }
  }

  private static String parameterLiteral(String type, String value) {
    return switch (BigQueryTypes.legacyType(type)) {
      case "INTEGER" -> String.valueOf(Long.parseLong(value));
      case "FLOAT" -> "CAST(" + GoogleSql.stringLiteral(value) + " AS DOUBLE)";
      case "BOOLEAN" -> String.valueOf(Boolean.parseBoolean(value));
      case "DATE" -> "DATE " + GoogleSql.stringLiteral(value);
      case "TIMESTAMP" -> "TIMESTAMPTZ " + GoogleSql.stringLiteral(value);
      case "DATETIME" -> "TIMESTAMP " + GoogleSql.stringLiteral(value);
      case "NUMERIC", "BIGNUMERIC" -> "CAST(" + GoogleSql.stringLiteral(value) + " AS DECIMAL(38, 9))";
      default -> GoogleSql.stringLiteral(value);
    };
  }

  /** The statement with its {@code @name} and {@code ?} parameters replaced by DuckDB literals. */
  private static Statement withParameters(ScriptRun run, Statement statement) {
    if (run.parameters.isEmpty()) {
      return statement;
    }
    List<Token> tokens = new ArrayList<>();
    int position = 0;
    for (Token token : statement.tokens()) {
      if (token.kind() == GoogleSql.Kind.WORD && token.text().startsWith("@") && !token.text().startsWith("@@")) {
        String literal = run.namedValues.get(token.text().substring(1).toLowerCase(Locale.ROOT));
        if (literal == null) {
          throw BigQueryError.invalidQuery("Query parameter '" + token.text().substring(1) + "' not found");
        }
        tokens.add(new Token(GoogleSql.Kind.SYMBOL, "(" + literal + ")", literal));
      } else if (token.isSymbol("?")) {
        if (position >= run.positionalValues.size()) {
          throw BigQueryError.invalidQuery("Query has more positional parameters than were given");
        }
        String literal = run.positionalValues.get(position++);
        tokens.add(new Token(GoogleSql.Kind.SYMBOL, "(" + literal + ")", literal));
      } else {
        tokens.add(token);
      }
    }
    return new Statement(tokens);
  }

  /** What a dry run answers: the statement's type and, for a SELECT, its schema, without running it. */
  private QueryResult plan(ScriptRun run, Statement statement) {
    String kind = SqlTranslation.statementKind(statement);
    if (kind.equals("SELECT")) {
      Set<DatasetMeta> used = new LinkedHashSet<>();
      String duckSql = GoogleSql.toDuckDb(statement.tokens(), p -> catalog.resolveTable(p, run.defaultDataset, used)
          .duckName(), catalog.now());
      run.location = Catalog.checkLocations(used, null, run.location);
      return new QueryResult(DuckDbEngine.fieldsOf(engine.resultSchema("SELECT * FROM (" + duckSql + ") LIMIT 0")), List.of(),
          "SELECT", null, null, null);
    }
    for (TablePath path : GoogleSql.tablePaths(statement.tokens())) {
      if (!kind.startsWith("CREATE") && !kind.startsWith("DROP")) {
        catalog.resolveTable(path, run.defaultDataset, new LinkedHashSet<>());
      }
    }
    return QueryResult.of(kind);
  }
}
