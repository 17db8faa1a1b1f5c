package dev.segments.sink.loopback;

import static dev.segments.sink.loopback.TableMeta.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.sink.loopback.GoogleSql.Statement;
import dev.segments.sink.loopback.GoogleSql.TablePath;
import dev.segments.sink.loopback.GoogleSql.Token;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The GoogleSQL statements of a query job run on DuckDB: a statement's kind, DML rendered by {@link GoogleSql} against
 * the stored tables, and the DDL BigQuery's way: CREATE/DROP SCHEMA, CREATE [OR REPLACE] TABLE (columns, PARTITION
 * BY, CLUSTER BY, OPTIONS, AS query), CREATE [OR REPLACE] VIEW, DROP TABLE/VIEW, ALTER TABLE, with their OPTIONS
 * evaluated. The rules each statement must keep are checked through {@link BigQueryRules}.
 */
final class SqlTranslation {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final Catalog catalog;
  private final DuckDbEngine engine;

  SqlTranslation(Catalog catalog, DuckDbEngine engine) {
    this.catalog = catalog;
    this.engine = engine;
  }

  /** The statement's kind as BigQuery's {@code statementType} names it (SELECT, INSERT, CREATE_TABLE, ...). */
  static String statementKind(Statement statement) {
    List<Token> words = statement.words();
    String first = words.isEmpty() ? "" : words.get(0).text().toUpperCase(Locale.ROOT);
    return switch (first) {
      case "SELECT", "WITH", "(" -> "SELECT";
      case "INSERT", "DELETE", "UPDATE", "MERGE" -> first;
      case "TRUNCATE" -> "TRUNCATE_TABLE";
      case "CREATE", "DROP", "ALTER" -> {
        String object = "";
        for (Token t : words.subList(1, words.size())) {
          String w = t.text().toUpperCase(Locale.ROOT);
          if (Set.of("TABLE", "VIEW", "SCHEMA").contains(w)) {
            object = w;
            break;
          }
        }
        boolean replace = words.size() > 2 && words.get(1).is("OR") && words.get(2).is("REPLACE");
        yield (object.equals("SCHEMA") ? first + "_SCHEMA" : replace ? "CREATE_OR_REPLACE_" + object
            : first + "_" + object);
      }
      default -> throw BigQueryError.invalidQuery("Syntax error: Unexpected keyword " + first + " (the loopback "
          + "BigQuery runs SELECT, INSERT, DELETE, UPDATE, MERGE, TRUNCATE, CREATE, DROP and transactions)");
    };
  }

  /** Runs one statement of a script (not a transaction statement) and answers its result. */
  QueryResult execute(ScriptRun run, Statement statement) {
    String kind = statementKind(statement);
    if (statement.startsWith("CREATE", "TEMP", "TABLE") || statement.startsWith("CREATE", "TEMPORARY", "TABLE")) {
      return createTemporaryTable(run, statement);
    }
    BigQueryRules.checkNoDdlInTransaction(run.inTransaction, kind);
    return switch (kind) {
      case "SELECT" -> {
        Set<DatasetMeta> used = new LinkedHashSet<>();
        String duckSql = GoogleSql.toDuckDb(statement.tokens(), p -> catalog.resolveTable(p, run.defaultDataset, used)
            .duckName(), catalog.now());
        run.location = Catalog.checkLocations(used, null, run.location);
        yield engine.select(duckSql);
      }
      case "INSERT", "DELETE", "UPDATE", "MERGE", "TRUNCATE_TABLE" -> {
        BigQueryRules.checkDmlHasWhere(kind, statement);
        Set<DatasetMeta> used = new LinkedHashSet<>();
        List<TableMeta> targets = new ArrayList<>();
        String duckSql = GoogleSql.toDuckDb(statement.tokens(), p -> {
          TableMeta table = catalog.resolveTable(p, run.defaultDataset, used);
          targets.add(table);
          return table.duckName();
        }, catalog.now());
        run.location = Catalog.checkLocations(used, null, run.location);
        if (!targets.isEmpty() && targets.get(0).type.equals("VIEW")) {
          throw BigQueryError.invalidQuery("Cannot modify view " + targets.get(0).friendly() + " with DML");
        }
        long affected = engine.update(duckSql);
        if (!targets.isEmpty()) {
          targets.get(0).modified = catalog.millis();
          run.changed.add(targets.get(0));
        }
        yield new QueryResult(List.of(), List.of(), kind, affected, null, null);
      }
      case "CREATE_SCHEMA" -> createSchema(run, statement);
      case "DROP_SCHEMA" -> dropSchema(statement);
      case "CREATE_TABLE", "CREATE_OR_REPLACE_TABLE" -> createTableStatement(run, statement, kind);
      case "CREATE_VIEW", "CREATE_OR_REPLACE_VIEW" -> createViewStatement(run, statement, kind);
      case "DROP_TABLE", "DROP_VIEW" -> dropTableStatement(run, statement, kind);
      case "ALTER_TABLE" -> alterTableStatement(run, statement);
      default -> throw BigQueryError.invalidQuery("The loopback BigQuery does not run " + kind.replace('_', ' '));
    };
  }

  private QueryResult createSchema(ScriptRun run, Statement statement) {
    List<Token> words = statement.words();
    boolean ifNotExists = statement.text().toUpperCase(Locale.ROOT).contains("IF NOT EXISTS");
    List<TablePath> paths = GoogleSql.tablePaths(statement.tokens());
    List<String> name = paths.isEmpty() ? List.of(lastName(words, "SCHEMA")) : paths.get(0).parts();
    String project = name.size() == 2 ? name.get(0) : catalog.projectId();
    String id = name.get(name.size() - 1);
    Map<String, JsonNode> options = options(statement);
    String location = options.containsKey("location") ? options.get("location").asText()
        : run.location != null ? run.location : "US";
    if (run.location != null && !run.location.equalsIgnoreCase(location)) {
      throw BigQueryError.invalidQuery("Location " + location + " of dataset " + project + ":" + id
          + " does not match the job's location " + run.location);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (options.containsKey("labels")) {
      options.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    }
    boolean existed = catalog.datasets().containsKey(id);
    DatasetMeta meta = catalog.createDataset(project, id, location, labels, ifNotExists);
    if (!existed) {
      if (options.containsKey("default_table_expiration_days")) {
        meta.defaultTableExpirationMs = (long) (options.get("default_table_expiration_days").asDouble() * 86_400_000L);
      }
      if (options.containsKey("description")) {
        meta.description = options.get("description").asText();
      }
    }
    run.location = location;
    return new QueryResult(List.of(), List.of(), "CREATE_SCHEMA", null, existed ? "SKIP" : "CREATE", null);
  }

  private static String lastName(List<Token> words, String after) {
    for (int i = 0; i < words.size() - 1; i++) {
      if (words.get(i).is(after)) {
        int j = i + 1;
        while (j < words.size() && (words.get(j).is("IF") || words.get(j).is("NOT") || words.get(j).is("EXISTS"))) {
          j++;
        }
        return words.get(j).value();
      }
    }
    throw BigQueryError.invalidQuery("Syntax error: expected a name after " + after);
  }

  private QueryResult dropSchema(Statement statement) {
    boolean ifExists = statement.text().toUpperCase(Locale.ROOT).contains("IF EXISTS");
    boolean cascade = statement.text().toUpperCase(Locale.ROOT).contains("CASCADE");
    List<TablePath> paths = GoogleSql.tablePaths(statement.tokens());
    List<String> name = paths.isEmpty() ? List.of(lastName(statement.words(), "SCHEMA")) : paths.get(0).parts();
    String id = name.get(name.size() - 1);
    if (!catalog.datasets().containsKey(id)) {
      if (ifExists) {
        return new QueryResult(List.of(), List.of(), "DROP_SCHEMA", null, "SKIP", null);
      }
      throw BigQueryError.notFound("Dataset " + catalog.projectId() + ":" + id);
    }
    if (!catalog.datasets().get(id).tables.isEmpty() && !cascade) {
      throw BigQueryError.invalidQuery("Cannot drop non-empty dataset " + catalog.projectId() + ":" + id
          + "; use DROP SCHEMA ... CASCADE");
    }
    catalog.deleteDataset(catalog.projectId(), id, true);
    return new QueryResult(List.of(), List.of(), "DROP_SCHEMA", null, "DROP", null);
  }

  /** The target of CREATE/DROP TABLE/VIEW: its dataset (which must exist) and table id. */
  private record Target(DatasetMeta dataset, String table) {}

  private Target target(ScriptRun run, Statement statement) {
    List<TablePath> paths = GoogleSql.tablePaths(statement.tokens());
    if (paths.isEmpty()) {
      throw BigQueryError.invalidQuery("Table name must be qualified with a dataset (e.g. dataset.table)");
    }
    List<String> parts = paths.get(0).parts();
    String project = parts.size() == 3 ? parts.get(0) : catalog.projectId();
    String dataset = parts.get(parts.size() - 2);
    DatasetMeta meta = project.equals(catalog.projectId()) ? catalog.datasets().get(dataset) : null;
    if (meta == null) {
      throw BigQueryError.notFound("Dataset " + project + ":" + dataset + " was not found");
    }
    run.location = Catalog.checkLocations(Set.of(meta), null, run.location);
    return new Target(meta, parts.get(parts.size() - 1));
  }

  private QueryResult dropTableStatement(ScriptRun run, Statement statement, String kind) {
    boolean ifExists = statement.text().toUpperCase(Locale.ROOT).contains("IF EXISTS");
    Target target = target(run, statement);
    TableMeta table = target.dataset.tables.get(target.table);
    if (table == null) {
      if (ifExists) {
        return new QueryResult(List.of(), List.of(), kind, null, "SKIP", null);
      }
      throw BigQueryError.notFound("Table " + target.dataset.project + ":" + target.dataset.id + "." + target.table);
    }
    if (kind.equals("DROP_VIEW") != table.type.equals("VIEW")) {
      throw BigQueryError.invalidQuery(table.friendly() + " is a " + table.type + "; use DROP "
          + (table.type.equals("VIEW") ? "VIEW" : "TABLE"));
    }
    catalog.deleteTable(table);
    return new QueryResult(List.of(), List.of(), kind, null, "DROP", table);
  }

  /**
   * ALTER TABLE name ADD COLUMN [IF NOT EXISTS] column type [, ...] | ALTER COLUMN column DROP NOT NULL |
   * SET OPTIONS (...). Added columns are NULLABLE: BigQuery refuses NOT NULL ones
   * (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-definition-language#alter_table_add_column_statement).
   */
  private QueryResult alterTableStatement(ScriptRun run, Statement statement) {
    Target target = target(run, statement);
    TableMeta table = target.dataset.tables.get(target.table);
    boolean ifExists = statement.startsWith("ALTER", "TABLE", "IF", "EXISTS");
    if (table == null) {
      if (ifExists) {
        return new QueryResult(List.of(), List.of(), "ALTER_TABLE", null, "SKIP", null);
      }
      throw BigQueryError.notFound("Table " + target.dataset.project + ":" + target.dataset.id + "." + target.table);
    }
    List<Token> words = statement.words();
    int i = 1;
    while (i < words.size() && !words.get(i).is("ADD") && !words.get(i).is("ALTER") && !words.get(i).is("SET")) {
      i++;
    }
    List<List<Token>> actions = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    int depth = 0;
    for (; i < words.size(); i++) {
      Token t = words.get(i);
      if (t.isSymbol("(") || t.isSymbol("<")) {
        depth++;
      } else if (t.isSymbol(")") || t.isSymbol(">")) {
        depth--;
      } else if (t.isSymbol(",") && depth == 0) {
        actions.add(current);
        current = new ArrayList<>();
        continue;
      }
      current.add(t);
    }
    if (!current.isEmpty()) {
      actions.add(current);
    }
    for (List<Token> action : actions) {
      if (action.size() >= 4 && action.get(0).is("ADD") && action.get(1).is("COLUMN")) {
        boolean ifNotExists = action.get(2).is("IF");
        int n = ifNotExists ? 5 : 2;
        String name = action.get(n).value();
        String type = BigQueryTypes.legacyType(action.get(n + 1).text());
        String rest = joinWords(action.subList(n + 2, action.size())).toUpperCase(Locale.ROOT);
        BigQueryRules.checkAddedColumnNullable(name, rest);
        if (field(table.fields, name) != null) {
          if (ifNotExists) {
            continue;
          }
          throw BigQueryError.invalidQuery("Column already exists: " + name);
        }
        ArrayNode added = NODES.arrayNode();
        added.addObject().put("name", name).put("type", type).put("mode", "NULLABLE");
        ArrayNode all = table.fields.deepCopy();
        all.addAll(added);
        catalog.updateSchema(table, all, true, false, "ALTER TABLE " + table.friendly() + ":");
      } else if (action.size() >= 5 && action.get(0).is("ALTER") && action.get(1).is("COLUMN")
          && action.get(3).is("DROP") && action.get(4).is("NOT")) {
        ArrayNode relaxed = table.fields.deepCopy();
        JsonNode field = field(relaxed, action.get(2).value());
        if (field == null) {
          throw BigQueryError.invalidQuery("Column not found: " + action.get(2).value());
        }
        ((ObjectNode) field).put("mode", "NULLABLE");
        catalog.updateSchema(table, relaxed, false, true, "ALTER TABLE " + table.friendly() + ":");
      } else if (!action.isEmpty() && action.get(0).is("SET")) {
        Map<String, JsonNode> options = options(new Statement(action));
        if (options.containsKey("expiration_timestamp")) {
          JsonNode expiration = options.get("expiration_timestamp");
          table.expirationTime = expiration.isNull() ? null : expiration.asLong();
        }
        if (options.containsKey("description")) {
          table.description = options.get("description").asText();
        }
        if (options.containsKey("partition_expiration_days")) {
          setPartitionExpiration(table, options.get("partition_expiration_days"));
        }
        if (options.containsKey("labels")) {
          BigQueryRules.checkLabels(options.get("labels"));
          table.labels.clear();
          options.get("labels").fields().forEachRemaining(e -> table.labels.put(e.getKey(), e.getValue().asText()));
        }
      } else {
        throw BigQueryError.invalidQuery("The loopback BigQuery does not run ALTER TABLE " + joinWords(action));
      }
    }
    table.modified = catalog.millis();
    return new QueryResult(List.of(), List.of(), "ALTER_TABLE", null, "ALTER", table);
  }

  /**
   * OPTIONS (partition_expiration_days = n | NULL) of a partitioned table: its {@code timePartitioning.expirationMs}
   * (https://cloud.google.com/bigquery/docs/managing-partitioned-tables#partition-expiration).
   */
  private static void setPartitionExpiration(TableMeta table, JsonNode days) {
    if (table.timePartitioning == null) {
      throw BigQueryError.invalidQuery("partition_expiration_days is only for partitioned tables; "
          + table.friendly() + " is not partitioned");
    }
    if (days.isNull()) {
      table.timePartitioning.remove("expirationMs");
    } else {
      table.timePartitioning.put("expirationMs", String.valueOf(Math.round(days.asDouble() * 86_400_000L)));
    }
  }

  private QueryResult createViewStatement(ScriptRun run, Statement statement, String kind) {
    Target target = target(run, statement);
    boolean ifNotExists = statement.text().toUpperCase(Locale.ROOT).contains("IF NOT EXISTS");
    TableMeta existing = target.dataset.tables.get(target.table);
    if (existing != null) {
      if (ifNotExists) {
        return new QueryResult(List.of(), List.of(), kind, null, "SKIP", existing);
      }
      if (!kind.equals("CREATE_OR_REPLACE_VIEW")) {
        throw BigQueryError.duplicate("Table " + existing.friendly());
      }
      if (!existing.type.equals("VIEW")) {
        throw BigQueryError.invalidQuery("Cannot replace table " + existing.friendly() + " with a view");
      }
    }
    List<Token> tokens = statement.tokens();
    int as = bodyStart(tokens);
    String body = joinText(tokens.subList(as, tokens.size())).strip();
    Map<String, JsonNode> options = options(statement);
    TableMeta view = catalog.createView(target.dataset, target.table, body, run.location);
    if (options.containsKey("description")) {
      view.description = options.get("description").asText();
    }
    if (options.containsKey("expiration_timestamp")) {
      view.expirationTime = options.get("expiration_timestamp").asLong();
    }
    return new QueryResult(List.of(), List.of(), kind, null, existing == null ? "CREATE" : "REPLACE", view);
  }

  /**
   * CREATE TEMP TABLE name AS query: a table of the script alone, read by its bare name, allowed inside a
   * transaction (https://cloud.google.com/bigquery/docs/transactions#statements_supported_in_transactions) and
   * dropped when the script ends.
   */
  private QueryResult createTemporaryTable(ScriptRun run, Statement statement) {
    List<Token> words = statement.words();
    int name = 3;
    while (name < words.size() && (words.get(name).is("IF") || words.get(name).is("NOT")
        || words.get(name).is("EXISTS"))) {
      name++;
    }
    int as = bodyStartOrNone(statement.tokens());
    if (name >= words.size() || as < 0 || words.get(name + 1).isSymbol(".")) {
      throw BigQueryError.invalidQuery("The loopback BigQuery creates temporary tables as CREATE TEMP TABLE name AS "
          + "query (a temporary table's name has no dataset)");
    }
    String table = words.get(name).value();
    Set<DatasetMeta> used = new LinkedHashSet<>();
    List<Token> tokens = statement.tokens();
    String duckSql = GoogleSql.toDuckDb(tokens.subList(as, tokens.size()), p -> catalog.resolveTable(p,
        run.defaultDataset, used).duckName(), catalog.now());
    run.location = Catalog.checkLocations(used, null, run.location);
    engine.execute("CREATE TEMP TABLE " + GoogleSql.quoteIdentifier(table) + " AS " + duckSql);
    run.temporaryTables.put(table, engine.resultSchema("SELECT * FROM " + GoogleSql.quoteIdentifier(table)
        + " LIMIT 0"));
    return new QueryResult(List.of(), List.of(), "CREATE_TABLE", null, "CREATE", null);
  }

  /** The index just after the top-level AS that starts a CREATE statement's query; -1 when there is none. */
  private static int bodyStartOrNone(List<Token> tokens) {
    int depth = 0;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        depth--;
      } else if (depth == 0 && t.is("AS")) {
        return i + 1;
      }
    }
    return -1;
  }

  private static int bodyStart(List<Token> tokens) {
    int start = bodyStartOrNone(tokens);
    if (start < 0) {
      throw BigQueryError.invalidQuery("Syntax error: Expected keyword AS");
    }
    return start;
  }

  private static String joinText(List<Token> tokens) {
    StringBuilder text = new StringBuilder();
    tokens.forEach(t -> text.append(t.text()));
    return text.toString();
  }

  /**
   * CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name [(columns)] [PARTITION BY ...] [CLUSTER BY ...] [OPTIONS(...)]
   * [AS query].
   */
  private QueryResult createTableStatement(ScriptRun run, Statement statement, String kind) {
    Target target = target(run, statement);
    boolean ifNotExists = statement.text().toUpperCase(Locale.ROOT).contains("IF NOT EXISTS");
    List<Token> tokens = statement.words();
    int as = bodyStartOrNone(tokens);
    List<Token> head = as < 0 ? tokens : tokens.subList(0, as - 1);
    // Column definitions: the first parenthesised list after the name.
    ArrayNode fields = NODES.arrayNode();
    int nameEnd = -1;
    for (int i = 0; i < head.size(); i++) {
      if (head.get(i).kind() == GoogleSql.Kind.QUOTED || (i > 0 && head.get(i - 1).is("TABLE"))
          || (i > 2 && head.get(i - 1).is("EXISTS"))) {
        nameEnd = i;
        while (nameEnd + 2 < head.size() && head.get(nameEnd + 1).isSymbol(".")) {
          nameEnd += 2;
        }
        break;
      }
    }
    int i = nameEnd + 1;
    if (i < head.size() && head.get(i).isSymbol("(")) {
      int depth = 0;
      List<List<Token>> columns = new ArrayList<>();
      List<Token> current = new ArrayList<>();
      for (i = i + 1; i < head.size(); i++) {
        Token t = head.get(i);
        if (t.isSymbol("(") || t.isSymbol("<")) {
          depth++;
        } else if ((t.isSymbol(")") || t.isSymbol(">")) && depth > 0) {
          depth--;
        } else if (t.isSymbol(")")) {
          break;
        } else if (t.isSymbol(",") && depth == 0) {
          columns.add(current);
          current = new ArrayList<>();
          continue;
        }
        current.add(t);
      }
      columns.add(current);
      i++;
      for (List<Token> column : columns) {
        if (column.size() < 2) {
          throw BigQueryError.invalidQuery("Syntax error: column definition needs a name and a type");
        }
        ObjectNode field = fields.addObject();
        field.put("name", column.get(0).value());
        String type = column.get(1).text().toUpperCase(Locale.ROOT);
        if (type.equals("ARRAY") || type.equals("STRUCT")) {
          throw BigQueryError.invalidQuery("The loopback BigQuery does not support " + type + " columns");
        }
        field.put("type", BigQueryTypes.legacyType(type));
        String rest = joinWords(column.subList(2, column.size())).toUpperCase(Locale.ROOT);
        field.put("mode", rest.contains("NOT NULL") ? "REQUIRED" : "NULLABLE");
      }
    }
    ObjectNode partitioning = null;
    List<String> clustering = new ArrayList<>();
    for (; i < head.size(); i++) {
      Token t = head.get(i);
      if (t.is("PARTITION") && i + 1 < head.size() && head.get(i + 1).is("BY")) {
        int end = i + 2;
        while (end < head.size() && !head.get(end).is("CLUSTER") && !head.get(end).is("OPTIONS")) {
          end++;
        }
        partitioning = partitionSpec(head.subList(i + 2, end));
        i = end - 1;
      } else if (t.is("CLUSTER") && i + 1 < head.size() && head.get(i + 1).is("BY")) {
        int j = i + 2;
        while (j < head.size() && !head.get(j).is("OPTIONS") && !head.get(j).is("PARTITION")) {
          if (!head.get(j).isSymbol(",")) {
            clustering.add(head.get(j).value());
          }
          j++;
        }
        i = j - 1;
      }
    }
    Map<String, JsonNode> options = options(statement);
    if (options.containsKey("labels")) {
      BigQueryRules.checkLabels(options.get("labels"));
    }
    QueryResult source = null;
    if (as >= 0) {
      Set<DatasetMeta> used = new LinkedHashSet<>();
      List<Token> all = statement.tokens();
      String duckSql = GoogleSql.toDuckDb(all.subList(bodyStart(all), all.size()), p -> catalog.resolveTable(p,
          run.defaultDataset, used).duckName(), catalog.now());
      run.location = Catalog.checkLocations(used, null, run.location);
      source = engine.select(duckSql);
      if (fields.isEmpty()) {
        source.fields().forEach(f -> fields.add(f.deepCopy()));
      }
    }
    TableMeta existing = target.dataset.tables.get(target.table);
    if (existing != null) {
      if (ifNotExists) {
        return new QueryResult(List.of(), List.of(), kind, null, "SKIP", existing);
      }
      if (!kind.equals("CREATE_OR_REPLACE_TABLE")) {
        throw BigQueryError.duplicate("Table " + existing.friendly());
      }
      if (!BigQueryRules.specText(existing.timePartitioning, existing.clustering).equals(BigQueryRules.specText(partitioning, clustering))) {
        throw BigQueryError.invalidQuery("Cannot replace a table with a different partitioning spec. Instead, DROP "
            + "the table, and then recreate it. New partitioning spec is " + BigQueryRules.specText(partitioning, clustering)
            + " and existing spec is " + BigQueryRules.specText(existing.timePartitioning, existing.clustering) + ".");
      }
      catalog.deleteTable(existing);
    }
    TableMeta table = catalog.createTable(target.dataset, target.table, fields, partitioning, clustering);
    if (options.containsKey("expiration_timestamp")) {
      table.expirationTime = options.get("expiration_timestamp").asLong();
    }
    if (options.containsKey("description")) {
      table.description = options.get("description").asText();
    }
    if (options.containsKey("labels")) {
      options.get("labels").fields().forEachRemaining(e -> table.labels.put(e.getKey(), e.getValue().asText()));
    }
    if (source != null) {
      engine.insertRows(table, source);
    }
    return new QueryResult(List.of(), List.of(), kind, null, existing == null ? "CREATE" : "REPLACE", table);
  }

  private static String joinWords(List<Token> tokens) {
    return tokens.stream().map(Token::text).collect(Collectors.joining(" "));
  }

  /** PARTITION BY column | DATE(column) | DATE_TRUNC(column, MONTH|YEAR) | TIMESTAMP_TRUNC(column, unit). */
  private static ObjectNode partitionSpec(List<Token> expression) {
    ObjectNode spec = NODES.objectNode();
    List<Token> words = expression.stream().filter(t -> t.kind() != GoogleSql.Kind.SYMBOL).toList();
    if (words.size() == 1) {
      if (words.get(0).text().startsWith("_PARTITION")) {
        spec.put("type", "DAY");
        return spec;
      }
      spec.put("type", "DAY");
      spec.put("field", words.get(0).value());
      return spec;
    }
    String function = words.get(0).text().toUpperCase(Locale.ROOT);
    if (function.equals("DATE") && words.size() == 2) {
      spec.put("type", "DAY");
      spec.put("field", words.get(1).value());
      return spec;
    }
    if (Set.of("DATE_TRUNC", "TIMESTAMP_TRUNC", "DATETIME_TRUNC").contains(function) && words.size() == 3) {
      spec.put("type", words.get(2).text().toUpperCase(Locale.ROOT));
      spec.put("field", words.get(1).value());
      return spec;
    }
    throw BigQueryError.invalidQuery("The loopback BigQuery does not support PARTITION BY " + joinWords(expression));
  }

  /** OPTIONS(name = value, ...) of a DDL statement, each value evaluated: strings, numbers, labels, timestamps. */
  private Map<String, JsonNode> options(Statement statement) {
    Map<String, JsonNode> options = new LinkedHashMap<>();
    List<Token> tokens = statement.words();
    int as = bodyStartOrNone(tokens);
    List<Token> head = as < 0 ? tokens : tokens.subList(0, as);
    for (int i = 0; i + 1 < head.size(); i++) {
      if (!head.get(i).is("OPTIONS") || !head.get(i + 1).isSymbol("(")) {
        continue;
      }
      int depth = 0;
      int start = i + 2;
      List<List<Token>> entries = new ArrayList<>();
      for (int j = i + 1; j < head.size(); j++) {
        Token t = head.get(j);
        if (t.isSymbol("(") || t.isSymbol("[")) {
          depth++;
        } else if (t.isSymbol(")") || t.isSymbol("]")) {
          depth--;
          if (depth == 0) {
            entries.add(head.subList(start, j));
            break;
          }
        } else if (t.isSymbol(",") && depth == 1) {
          entries.add(head.subList(start, j));
          start = j + 1;
        }
      }
      for (List<Token> entry : entries) {
        if (entry.size() < 3 || !entry.get(1).isSymbol("=")) {
          continue;
        }
        String name = entry.get(0).text().toLowerCase(Locale.ROOT);
        List<Token> value = entry.subList(2, entry.size());
        options.put(name, optionValue(name, value));
      }
    }
    return options;
  }

  private JsonNode optionValue(String name, List<Token> value) {
    if (name.equals("labels")) {
      ObjectNode labels = NODES.objectNode();
      List<String> strings = value.stream().filter(t -> t.kind() == GoogleSql.Kind.STRING).map(Token::value)
          .toList();
      for (int i = 0; i + 1 < strings.size(); i += 2) {
        labels.put(strings.get(i), strings.get(i + 1));
      }
      return labels;
    }
    Object evaluated;
    try {
      // The tokens come without the spaces between them; rendering them spaced keeps INTERVAL 6 HOUR apart.
      evaluated = engine.rows("SELECT " + GoogleSql.toDuckDb(GoogleSql.tokenize(joinWords(value)), p -> {
        throw BigQueryError.invalidQuery("OPTIONS values cannot read tables");
      }, catalog.now())).get(0).get(0);
    } catch (IllegalArgumentException e) {
      throw BigQueryError.invalidQuery("Invalid value for option " + name + ": " + e.getMessage());
    }
    if (evaluated instanceof OffsetDateTime time) {
      return NODES.numberNode(time.toInstant().toEpochMilli());
    }
    if (evaluated instanceof Number number) {
      return NODES.numberNode(number.doubleValue());
    }
    return evaluated == null ? NODES.nullNode() : NODES.textNode(evaluated.toString());
  }
}
