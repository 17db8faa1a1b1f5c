package dev.segments.sink.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zetasql.Analyzer;
import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.LanguageOptions;
import com.google.zetasql.Parser;
import com.google.zetasql.SimpleCatalog;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.SqlException;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.ZetaSQLBuiltinFunctionOptions;
import com.google.zetasql.ZetaSQLOptions.ParameterMode;
import com.google.zetasql.ZetaSQLOptions.ProductMode;
import com.google.zetasql.ZetaSQLType.TypeKind;
import java.util.ArrayList;
import java.util.List;

/**
 * ZetaSQL, the open-source GoogleSQL front end BigQuery's dialect comes from, as the loopback's analyzer: a script is
 * parsed whole ({@code Parser.parseScript}), then each statement is analysed ({@code Analyzer.analyzeStatement})
 * against a catalog of the tables and views that exist when it runs, reachable as {@code project.dataset.table},
 * {@code `project.dataset.table`}, {@code dataset.table} and, with a default dataset, {@code table}. Language: the
 * external product mode with the released language features ({@code enableMaximumLanguageFeatures}), every
 * statement kind. An error is BigQuery's 400 {@code invalidQuery} with ZetaSQL's message; a missing table, 404.
 */
final class ZetaSqlAnalyzer implements SqlAnalyzer {
  private final LanguageOptions language = new LanguageOptions();
  private final AnalyzerOptions options = new AnalyzerOptions();
  private String catalogKey;
  private SimpleCatalog catalog;

  ZetaSqlAnalyzer() {
    language.enableMaximumLanguageFeatures();
    language.setSupportsAllStatementKinds();
    language.setProductMode(ProductMode.PRODUCT_EXTERNAL);
    language.enableReservableKeyword("QUALIFY");
    options.setLanguageOptions(language);
    options.setDefaultTimezone("UTC");
  }

  @Override
  public void parseScript(String sql) {
    try {
      Parser.parseScript(sql, language);
    } catch (SqlException e) {
      throw BigQueryError.invalidQuery(e.getMessage());
    }
  }

  @Override
  public void analyze(String statement, List<CatalogTable> tables, String project, String defaultDataset,
      List<Parameter> parameters) {
    AnalyzerOptions analyzerOptions = options;
    if (!parameters.isEmpty()) {
      analyzerOptions = new AnalyzerOptions();
      analyzerOptions.setLanguageOptions(language);
      analyzerOptions.setDefaultTimezone("UTC");
      boolean positional = parameters.get(0).name() == null;
      analyzerOptions.setParameterMode(positional ? ParameterMode.PARAMETER_POSITIONAL : ParameterMode.PARAMETER_NAMED);
      for (Parameter parameter : parameters) {
        if (positional) {
          analyzerOptions.addPositionalQueryParameter(type(parameter.type()));
        } else {
          analyzerOptions.addQueryParameter(parameter.name(), type(parameter.type()));
        }
      }
    }
    try {
      Analyzer.analyzeStatement(statement, analyzerOptions, catalog(tables, project, defaultDataset));
    } catch (SqlException e) {
      String message = String.valueOf(e.getMessage());
      if (message.startsWith("Table not found")) {
        throw BigQueryError.notFound(message);
      }
      throw BigQueryError.invalidQuery(message);
    }
  }

  private SimpleCatalog catalog(List<CatalogTable> tables, String project, String defaultDataset) {
    StringBuilder key = new StringBuilder(project).append('|').append(defaultDataset);
    for (CatalogTable table : tables) {
      key.append('|').append(table.dataset()).append('.').append(table.table()).append(table.fields());
    }
    if (key.toString().equals(catalogKey)) {
      return catalog;
    }
    SimpleCatalog root = new SimpleCatalog("bigquery");
    root.addZetaSQLFunctionsAndTypes(new ZetaSQLBuiltinFunctionOptions(language));
    SimpleCatalog projectCatalog = root.addNewSimpleCatalog(project);
    for (CatalogTable table : tables) {
      if (table.dataset() == null) {
        root.addSimpleTable(table.table(), simpleTable(table.table(), table));
        continue;
      }
      List<String> names = new ArrayList<>(List.of(table.project() + "." + table.dataset() + "." + table.table(),
          table.dataset() + "." + table.table()));
      if (table.dataset().equals(defaultDataset)) {
        names.add(table.table());
      }
      for (String name : names) {
        root.addSimpleTable(name, simpleTable(name, table));
      }
      for (SimpleCatalog parent : List.of(projectCatalog, root)) {
        SimpleCatalog existing = parent.getCatalog(table.dataset());
        SimpleCatalog datasetCatalog = existing != null ? existing : parent.addNewSimpleCatalog(table.dataset());
        datasetCatalog.addSimpleTable(table.table(), simpleTable(table.table(), table));
      }
    }
    if (catalog != null) {
      catalog.unregister();
    }
    // A registered catalog lives in the native analyzer; each analysis then sends its id, not the whole catalog.
    root.register();
    catalog = root;
    catalogKey = key.toString();
    return root;
  }

  private static SimpleTable simpleTable(String name, CatalogTable table) {
    List<SimpleColumn> columns = new ArrayList<>();
    for (JsonNode field : table.fields()) {
      columns.add(new SimpleColumn(name, field.path("name").asText(), type(field.path("type").asText())));
    }
    return new SimpleTable(name, columns);
  }

  private static Type type(String bigQueryType) {
    TypeKind kind = switch (BigQueryTypes.legacyType(bigQueryType)) {
      case "INTEGER" -> TypeKind.TYPE_INT64;
      case "FLOAT" -> TypeKind.TYPE_DOUBLE;
      case "BOOLEAN" -> TypeKind.TYPE_BOOL;
      case "DATE" -> TypeKind.TYPE_DATE;
      case "TIMESTAMP" -> TypeKind.TYPE_TIMESTAMP;
      case "DATETIME" -> TypeKind.TYPE_DATETIME;
      case "TIME" -> TypeKind.TYPE_TIME;
      case "NUMERIC" -> TypeKind.TYPE_NUMERIC;
      case "BIGNUMERIC" -> TypeKind.TYPE_BIGNUMERIC;
      case "BYTES" -> TypeKind.TYPE_BYTES;
      case "JSON" -> TypeKind.TYPE_JSON;
      default -> TypeKind.TYPE_STRING;
    };
    return TypeFactory.createSimpleType(kind);
  }
}
