package dev.segments.sink.loopback;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The part of GoogleSQL the product sends, read into tokens, split into a script's statements and blocks, and
 * rendered as DuckDB SQL: backticked {@code `project.dataset.table`} names become DuckDB's {@code "dataset"."table"},
 * string literals DuckDB literals, GoogleSQL types and the date functions whose argument order differs DuckDB's,
 * {@code INTERVAL expr unit} with any expression, and every divisor of {@code /} checked for zero as BigQuery does.
 * Anything else passes through, so an unsupported construct fails in DuckDB with DuckDB's message.
 */
final class GoogleSql {
  private GoogleSql() {}

  enum Kind { SPACE, COMMENT, STRING, QUOTED, WORD, NUMBER, SYMBOL }

  /** A token; {@code value} is a string literal's or a quoted identifier's decoded content, else the text. */
  record Token(Kind kind, String text, String value) {
    boolean is(String word) {
      return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    boolean isSymbol(String symbol) {
      return kind == Kind.SYMBOL && text.equals(symbol);
    }

    boolean significant() {
      return kind != Kind.SPACE && kind != Kind.COMMENT;
    }
  }

  /** A script node: one statement, or a {@code BEGIN ... [EXCEPTION WHEN ERROR THEN ...] END} block. */
  sealed interface Node permits Statement, Block {}

  /** One statement's tokens, without the closing semicolon. */
  record Statement(List<Token> tokens) implements Node {
    String text() {
      StringBuilder text = new StringBuilder();
      tokens.forEach(t -> text.append(t.text()));
      return text.toString().strip();
    }

    /** The significant tokens, comments and spaces left out. */
    List<Token> words() {
      return tokens.stream().filter(Token::significant).toList();
    }

    /** Whether the statement starts with these words (case-insensitive). */
    boolean startsWith(String... words) {
      List<Token> significant = words();
      if (significant.size() < words.length) {
        return false;
      }
      for (int i = 0; i < words.length; i++) {
        if (!significant.get(i).is(words[i])) {
          return false;
        }
      }
      return true;
    }
  }

  record Block(List<Node> body, List<Node> handler) implements Node {}

  static List<Token> tokenize(String sql) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        while (i < n && Character.isWhitespace(sql.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Kind.SPACE, sql.substring(start, i), null));
      } else if (c == '#' || (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-')) {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
        tokens.add(new Token(Kind.COMMENT, sql.substring(start, i), null));
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        tokens.add(new Token(Kind.COMMENT, sql.substring(start, i), null));
      } else if (c == '`') {
        int end = sql.indexOf('`', i + 1);
        if (end < 0) {
          throw BigQueryError.invalidQuery("Syntax error: Unclosed identifier literal at [" + position(sql, i) + "]");
        }
        i = end + 1;
        tokens.add(new Token(Kind.QUOTED, sql.substring(start, i), sql.substring(start + 1, end)));
      } else if (c == '\'' || c == '"' || (isStringPrefix(sql, i))) {
        boolean raw = false;
        while (sql.charAt(i) != '\'' && sql.charAt(i) != '"') {
          raw |= Character.toLowerCase(sql.charAt(i)) == 'r';
          i++;
        }
        char quote = sql.charAt(i);
        boolean triple = sql.startsWith(String.valueOf(quote).repeat(3), i);
        String delimiter = triple ? String.valueOf(quote).repeat(3) : String.valueOf(quote);
        i += delimiter.length();
        StringBuilder value = new StringBuilder();
        while (true) {
          if (i >= n) {
            throw BigQueryError.invalidQuery("Syntax error: Unclosed string literal at [" + position(sql, start) + "]");
          }
          if (sql.startsWith(delimiter, i)) {
            i += delimiter.length();
            break;
          }
          char ch = sql.charAt(i);
          if (ch == '\\' && i + 1 < n) {
            if (raw) {
              value.append(ch).append(sql.charAt(i + 1));
              i += 2;
            } else {
              i = unescape(sql, i + 1, value);
            }
          } else {
            value.append(ch);
            i++;
          }
        }
        tokens.add(new Token(Kind.STRING, sql.substring(start, i), value.toString()));
      } else if (Character.isLetter(c) || c == '_' || c == '@') {
        i++;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '@')) {
          i++;
        }
        tokens.add(new Token(Kind.WORD, sql.substring(start, i), sql.substring(start, i)));
      } else if (Character.isDigit(c)) {
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.'
            || ((sql.charAt(i) == '+' || sql.charAt(i) == '-') && Character.toLowerCase(sql.charAt(i - 1)) == 'e'))) {
          i++;
        }
        tokens.add(new Token(Kind.NUMBER, sql.substring(start, i), sql.substring(start, i)));
      } else {
        String two = i + 1 < n ? sql.substring(i, i + 2) : "";
        i += Set.of("<=", ">=", "<>", "!=", "||", "<<", ">>").contains(two) ? 2 : 1;
        tokens.add(new Token(Kind.SYMBOL, sql.substring(start, i), sql.substring(start, i)));
      }
    }
    return tokens;
  }

  private static boolean isStringPrefix(String sql, int i) {
    int j = i;
    while (j < sql.length() && j - i < 2 && "rRbB".indexOf(sql.charAt(j)) >= 0) {
      j++;
    }
    boolean wordBefore = i > 0 && (Character.isLetterOrDigit(sql.charAt(i - 1)) || sql.charAt(i - 1) == '_');
    return j > i && !wordBefore && j < sql.length() && (sql.charAt(j) == '\'' || sql.charAt(j) == '"');
  }

  private static int unescape(String sql, int i, StringBuilder value) {
    char e = sql.charAt(i);
    switch (e) {
      case 'n' -> value.append('\n');
      case 't' -> value.append('\t');
      case 'r' -> value.append('\r');
      case 'x', 'X' -> {
        value.append((char) Integer.parseInt(sql.substring(i + 1, i + 3), 16));
        return i + 3;
      }
      case 'u' -> {
        value.append((char) Integer.parseInt(sql.substring(i + 1, i + 5), 16));
        return i + 5;
      }
      default -> value.append(e);
    }
    return i + 1;
  }

  /** Line and column of a character, as BigQuery's messages write them. */
  static String position(String sql, int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < sql.length(); i++) {
      if (sql.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return line + ":" + column;
  }

  /** The script's statements and blocks. */
  static List<Node> parseScript(String sql) {
    List<Token> tokens = tokenize(sql);
    int[] cursor = {0};
    List<Node> nodes = parseNodes(tokens, cursor, Set.of());
    if (cursor[0] < tokens.size()) {
      throw BigQueryError.invalidQuery("Syntax error: Unexpected keyword " + tokens.get(cursor[0]).text());
    }
    return nodes;
  }

  private static List<Node> parseNodes(List<Token> tokens, int[] cursor, Set<String> terminators) {
    List<Node> nodes = new ArrayList<>();
    while (true) {
      int next = skipInsignificant(tokens, cursor[0]);
      if (next >= tokens.size()) {
        cursor[0] = next;
        return nodes;
      }
      Token first = tokens.get(next);
      if (first.kind() == Kind.WORD && terminators.contains(first.text().toUpperCase(Locale.ROOT))) {
        cursor[0] = next;
        return nodes;
      }
      if (first.isSymbol(";")) {
        cursor[0] = next + 1;
        continue;
      }
      int after = skipInsignificant(tokens, next + 1);
      boolean block = first.is("BEGIN") && after < tokens.size() && !tokens.get(after).is("TRANSACTION")
          && !tokens.get(after).isSymbol(";");
      if (block) {
        cursor[0] = next + 1;
        List<Node> body = parseNodes(tokens, cursor, Set.of("EXCEPTION", "END"));
        List<Node> handler = null;
        if (cursor[0] < tokens.size() && tokens.get(cursor[0]).is("EXCEPTION")) {
          cursor[0] = expectWords(tokens, cursor[0] + 1, "WHEN", "ERROR", "THEN");
          handler = parseNodes(tokens, cursor, Set.of("END"));
        }
        if (cursor[0] >= tokens.size()) {
          throw BigQueryError.invalidQuery("Syntax error: Expected END but got end of script");
        }
        cursor[0]++;
        nodes.add(new Block(body, handler));
      } else {
        int depth = 0;
        int i = next;
        for (; i < tokens.size(); i++) {
          Token t = tokens.get(i);
          if (t.isSymbol("(")) {
            depth++;
          } else if (t.isSymbol(")")) {
            depth--;
          } else if (t.isSymbol(";") && depth == 0) {
            break;
          }
        }
        nodes.add(new Statement(new ArrayList<>(tokens.subList(next, i))));
        cursor[0] = Math.min(i + 1, tokens.size());
      }
    }
  }

  private static int expectWords(List<Token> tokens, int from, String... words) {
    int i = from;
    for (String word : words) {
      i = skipInsignificant(tokens, i);
      if (i >= tokens.size() || !tokens.get(i).is(word)) {
        throw BigQueryError.invalidQuery("Syntax error: Expected keyword " + word);
      }
      i++;
    }
    return i;
  }

  static int skipInsignificant(List<Token> tokens, int from) {
    int i = from;
    while (i < tokens.size() && !tokens.get(i).significant()) {
      i++;
    }
    return i;
  }

  /** A table path as written (project, dataset, table or dataset, table). */
  record TablePath(List<String> parts) {
    @Override
    public String toString() {
      return String.join(".", parts);
    }
  }

  private static final Set<String> TABLE_CONTEXT =
      Set.of("FROM", "JOIN", "INTO", "INSERT", "UPDATE", "MERGE", "USING", "TABLE", "VIEW", "EXISTS", "DELETE");

  /** The table paths a statement names (backticked dotted names, and dotted names after FROM, JOIN, ...). */
  static List<TablePath> tablePaths(List<Token> tokens) {
    List<TablePath> paths = new ArrayList<>();
    new Renderer(tokens, path -> {
      paths.add(path);
      return "t";
    }, Instant.EPOCH).render(0, tokens.size());
    return paths;
  }

  /**
   * The statement's tokens in DuckDB SQL; {@code tables} names each table path in DuckDB ({@code "dataset"."table"})
   * or throws the error BigQuery would answer; {@code now} is the server's clock for CURRENT_DATE and
   * CURRENT_TIMESTAMP.
   */
  static String toDuckDb(List<Token> tokens, Function<TablePath, String> tables, Instant now) {
    return new Renderer(tokens, tables, now).render(0, tokens.size()).strip();
  }

  static String quoteIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  static String stringLiteral(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static final Map<String, String> TYPES = Map.of(
      "INT64", "BIGINT", "FLOAT64", "DOUBLE", "NUMERIC", "DECIMAL(38, 9)", "BIGNUMERIC", "DECIMAL(38, 9)",
      "BYTES", "BLOB", "DATETIME", "TIMESTAMP", "TIMESTAMP", "TIMESTAMPTZ", "BOOL", "BOOLEAN", "STRING", "VARCHAR");

  private static final class Renderer {
    private final List<Token> tokens;
    private final Function<TablePath, String> tables;
    private final Instant now;

    Renderer(List<Token> tokens, Function<TablePath, String> tables, Instant now) {
      this.tokens = tokens;
      this.tables = tables;
      this.now = now;
    }

    String render(int from, int to) {
      StringBuilder out = new StringBuilder();
      int i = from;
      while (i < to) {
        Token t = tokens.get(i);
        Token previous = previousSignificant(i, from);
        int next = skipInsignificant(tokens, i + 1);
        Token following = next < to ? tokens.get(next) : null;
        switch (t.kind()) {
          case STRING -> {
            out.append(stringLiteral(t.value()));
            i++;
          }
          case QUOTED, WORD -> {
            if (t.kind() == Kind.WORD && following != null && following.isSymbol("(")
                && (previous == null || !previous.isSymbol("."))) {
              int close = matchingParenthesis(next, to);
              String name = t.text().toUpperCase(Locale.ROOT);
              String function = function(name, arguments(next + 1, close));
              if (function != null) {
                out.append(function);
                i = close + 1;
                if (name.equals("UNNEST")) {
                  i = unnestAlias(i, to, out);
                }
                continue;
              }
            }
            i = path(i, to, previous, out);
          }
          default -> {
            if (t.isSymbol("/")) {
              int start = skipInsignificant(tokens, i + 1);
              int end = operandEnd(start, to);
              out.append("/ ").append(DuckDbEngine.DIVISOR).append('(').append(render(start, end).strip()).append(')');
              i = end;
            } else {
              out.append(t.text());
              i++;
            }
          }
        }
      }
      return out.toString();
    }

    /**
     * The end (exclusive) of the operand starting at {@code start}: signs, then a parenthesised expression, a CASE
     * ... END, or a dotted name, optionally called. Division binds tighter than everything but these, so this is
     * the right operand of a {@code /}.
     */
    private int operandEnd(int start, int to) {
      int i = start;
      while (i < to && (tokens.get(i).isSymbol("-") || tokens.get(i).isSymbol("+") || !tokens.get(i).significant())) {
        i++;
      }
      if (i >= to) {
        throw BigQueryError.invalidQuery("Syntax error: Unexpected end of statement after /");
      }
      if (tokens.get(i).isSymbol("(")) {
        return matchingParenthesis(i, to) + 1;
      }
      if (tokens.get(i).is("CASE")) {
        int depth = 0;
        for (int j = i; j < to; j++) {
          depth += tokens.get(j).is("CASE") ? 1 : tokens.get(j).is("END") ? -1 : 0;
          if (depth == 0) {
            return j + 1;
          }
        }
        throw BigQueryError.invalidQuery("Syntax error: Expected END but got end of statement");
      }
      int end = i + 1;
      while (true) {
        int next = skipInsignificant(tokens, end);
        if (next + 1 < to && tokens.get(next).isSymbol(".")) {
          end = next + 2;
        } else if (next < to && tokens.get(next).isSymbol("(") && tokens.get(i).kind() == Kind.WORD) {
          return matchingParenthesis(next, to) + 1;
        } else {
          return end;
        }
      }
    }

    /** After UNNEST(...): {@code AS x} names DuckDB's table and its column ({@code AS x(x)}), as GoogleSQL does. */
    private int unnestAlias(int i, int to, StringBuilder out) {
      int as = skipInsignificant(tokens, i);
      int alias = skipInsignificant(tokens, as + 1);
      int after = skipInsignificant(tokens, alias + 1);
      if (as < to && tokens.get(as).is("AS") && alias < to && tokens.get(alias).kind() == Kind.WORD
          && (after >= to || !tokens.get(after).isSymbol("("))) {
        String name = quoteIdentifier(tokens.get(alias).text());
        out.append(" AS ").append(name).append('(').append(name).append(')');
        return alias + 1;
      }
      return i;
    }

    /** GoogleSQL's {@code INTERVAL expr unit}, where expr may be any INT64 expression, as DuckDB arithmetic. */
    private String interval(int[] range) {
      List<Integer> significant = new ArrayList<>();
      for (int i = range[0]; i < range[1]; i++) {
        if (tokens.get(i).significant()) {
          significant.add(i);
        }
      }
      if (significant.size() < 3 || !tokens.get(significant.get(0)).is("INTERVAL")
          || (significant.size() == 3 && tokens.get(significant.get(1)).kind() == Kind.NUMBER)) {
        return arg(range);
      }
      int unit = significant.get(significant.size() - 1);
      return "(INTERVAL 1 " + tokens.get(unit).text() + " * CAST(" + render(significant.get(1), unit).strip()
          + " AS BIGINT))";
    }

    /** Renders a (possibly dotted) name starting at {@code i}; answers the index after it. */
    private int path(int i, int to, Token previous, StringBuilder out) {
      List<Token> parts = new ArrayList<>();
      int j = i;
      parts.add(tokens.get(j));
      while (j + 2 < to && tokens.get(j + 1).isSymbol(".")
          && (tokens.get(j + 2).kind() == Kind.QUOTED || tokens.get(j + 2).kind() == Kind.WORD)) {
        parts.add(tokens.get(j + 2));
        j += 2;
      }
      boolean quoted = parts.stream().anyMatch(p -> p.kind() == Kind.QUOTED);
      List<String> names = new ArrayList<>();
      for (Token part : parts) {
        if (part.kind() == Kind.QUOTED) {
          names.addAll(List.of(part.value().split("\\.")));
        } else {
          names.add(part.text());
        }
      }
      boolean tableContext = previous != null && previous.kind() == Kind.WORD
          && TABLE_CONTEXT.contains(previous.text().toUpperCase(Locale.ROOT));
      boolean dottedBacktick = parts.stream().anyMatch(p -> p.kind() == Kind.QUOTED && p.value().contains("."));
      if (names.size() >= 2 && (dottedBacktick || tableContext)) {
        out.append(tables.apply(new TablePath(names)));
      } else if (parts.size() == 1 && !quoted) {
        Token word = parts.get(0);
        out.append(word(word, previous, i));
      } else {
        out.append(String.join(".", names.stream().map(GoogleSql::quoteIdentifier).toList()));
      }
      return j + 1;
    }

    private String word(Token word, Token previous, int index) {
      String upper = word.text().toUpperCase(Locale.ROOT);
      if (upper.equals("CURRENT_TIMESTAMP")) {
        return "TIMESTAMPTZ '" + now + "'";
      }
      if (upper.equals("CURRENT_DATE")) {
        return "DATE '" + now.atZone(ZoneOffset.UTC).toLocalDate() + "'";
      }
      if (upper.equals("EXCEPT") && previous != null && previous.isSymbol("*")) {
        return "EXCLUDE";
      }
      if (upper.equals("ROW") && previous != null && previous.is("INSERT")) {
        return "*";
      }
      if (TYPES.containsKey(upper) && (previous == null || !previous.isSymbol("."))) {
        return TYPES.get(upper);
      }
      if ((upper.equals("INSERT") || upper.equals("MERGE")) && !nextIs(index, "INTO") && !nextIs(index, "ROW")
          && !nextIs(index, "(") && !nextIs(index, "*") && (previous == null || !previous.is("THEN"))) {
        return word.text() + " INTO";
      }
      if (upper.equals("DELETE") && !nextIs(index, "FROM") && (previous == null || !previous.is("THEN"))) {
        return word.text() + " FROM";
      }
      return word.text();
    }

    private boolean nextIs(int index, String text) {
      int next = skipInsignificant(tokens, index + 1);
      return next < tokens.size() && tokens.get(next).text().equalsIgnoreCase(text);
    }

    private Token previousSignificant(int i, int from) {
      for (int j = i - 1; j >= from; j--) {
        if (tokens.get(j).significant()) {
          return tokens.get(j);
        }
      }
      return null;
    }

    private int matchingParenthesis(int open, int to) {
      int depth = 0;
      for (int i = open; i < to; i++) {
        if (tokens.get(i).isSymbol("(")) {
          depth++;
        } else if (tokens.get(i).isSymbol(")")) {
          depth--;
          if (depth == 0) {
            return i;
          }
        }
      }
      throw BigQueryError.invalidQuery("Syntax error: Expected \")\" but got end of statement");
    }

    /** The argument ranges [from, to) between the parentheses. */
    private List<int[]> arguments(int from, int to) {
      List<int[]> ranges = new ArrayList<>();
      int depth = 0;
      int start = from;
      for (int i = from; i < to; i++) {
        Token t = tokens.get(i);
        if (t.isSymbol("(")) {
          depth++;
        } else if (t.isSymbol(")")) {
          depth--;
        } else if (t.isSymbol(",") && depth == 0) {
          ranges.add(new int[] {start, i});
          start = i + 1;
        }
      }
      if (skipInsignificant(tokens, start) < to || !ranges.isEmpty()) {
        ranges.add(new int[] {start, to});
      }
      return ranges;
    }

    private String arg(int[] range) {
      return render(range[0], range[1]).strip();
    }

    private String part(int[] range) {
      return stringLiteral(render(range[0], range[1]).strip().toLowerCase(Locale.ROOT));
    }

    /** A GoogleSQL function in DuckDB, or null to render the call as written. */
    private String function(String name, List<int[]> args) {
      return switch (name) {
        case "DATE_DIFF", "TIMESTAMP_DIFF", "DATETIME_DIFF" -> args.size() != 3 ? null
            : "date_diff(" + part(args.get(2)) + ", " + arg(args.get(1)) + ", " + arg(args.get(0)) + ")";
        case "DATE_TRUNC" -> args.size() != 2 ? null
            : "CAST(date_trunc(" + part(args.get(1)) + ", " + arg(args.get(0)) + ") AS DATE)";
        case "TIMESTAMP_TRUNC", "DATETIME_TRUNC" -> args.size() != 2 ? null
            : "date_trunc(" + part(args.get(1)) + ", " + arg(args.get(0)) + ")";
        case "DATE_ADD", "DATE_SUB" -> args.size() != 2 ? null
            : "CAST((" + arg(args.get(0)) + ") " + (name.endsWith("ADD") ? "+" : "-") + " " + interval(args.get(1))
                + " AS DATE)";
        case "TIMESTAMP_ADD", "TIMESTAMP_SUB", "DATETIME_ADD", "DATETIME_SUB" -> args.size() != 2 ? null
            : "((" + arg(args.get(0)) + ") " + (name.endsWith("ADD") ? "+" : "-") + " " + interval(args.get(1)) + ")";
        case "CURRENT_TIMESTAMP" -> args.isEmpty() ? "TIMESTAMPTZ '" + now + "'" : null;
        case "CURRENT_DATE" -> args.isEmpty() ? "DATE '" + now.atZone(ZoneOffset.UTC).toLocalDate() + "'" : null;
        case "DATE" -> args.size() == 1 ? "CAST(" + arg(args.get(0)) + " AS DATE)"
            : args.size() == 3 ? "make_date(" + arg(args.get(0)) + ", " + arg(args.get(1)) + ", " + arg(args.get(2)) + ")"
            : null;
        case "TIMESTAMP" -> args.size() == 1 ? "CAST(" + arg(args.get(0)) + " AS TIMESTAMPTZ)" : null;
        case "SAFE_DIVIDE" -> args.size() != 2 ? null
            : "(CASE WHEN (" + arg(args.get(1)) + ") = 0 THEN NULL ELSE (" + arg(args.get(0)) + ") / ("
                + arg(args.get(1)) + ") END)";
        case "COUNTIF" -> args.size() != 1 ? null : "count_if(" + arg(args.get(0)) + ")";
        case "LOGICAL_AND" -> args.size() != 1 ? null : "bool_and(" + arg(args.get(0)) + ")";
        case "LOGICAL_OR" -> args.size() != 1 ? null : "bool_or(" + arg(args.get(0)) + ")";
        case "FORMAT_DATE", "FORMAT_TIMESTAMP" -> args.size() != 2 ? null
            : "strftime(" + arg(args.get(1)) + ", " + arg(args.get(0)) + ")";
        case "PARSE_DATE" -> args.size() != 2 ? null
            : "CAST(strptime(" + arg(args.get(1)) + ", " + arg(args.get(0)) + ") AS DATE)";
        case "GENERATE_UUID" -> args.isEmpty() ? "CAST(uuid() AS VARCHAR)" : null;
        // GENERATE_ARRAY includes its end, as DuckDB's generate_series does (range would not).
        case "GENERATE_ARRAY" -> args.size() < 2 || args.size() > 3 ? null
            : "generate_series(" + String.join(", ", args.stream().map(this::arg).toList()) + ")";
        case "DATE_FROM_UNIX_DATE" -> args.size() != 1 ? null
            : "CAST(DATE '1970-01-01' + CAST(" + arg(args.get(0)) + " AS INTEGER) AS DATE)";
        case "UNNEST" -> args.size() != 1 ? null : "unnest(" + arg(args.get(0)) + ")";
        default -> null;
      };
    }
  }
}
