package dev.segments.ingest.sheets;

import com.google.gson.stream.JsonWriter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for {@code spreadsheets.values.batchGet} of the Sheets API v4 and for an OAuth token endpoint.
 * It serves tabs held as rows of cells (row 1 first; null is an empty cell) and answers as the real API does:
 * trailing empty cells and rows left out, empty cells inside a row as "", the {@code values} key absent for an
 * empty range, errors as {@code {"error": {"code", "message", "status"}}}. Faults are scripted per request.
 */
final class FakeSheetsApi implements AutoCloseable {

  static final String TOKEN = "test-token";

  /** A batchGet as the server received it. */
  record Request(String path, Map<String, List<String>> params, String authorization) {
    List<String> ranges() {
      return params.getOrDefault("ranges", List.of());
    }

    String param(String name) {
      List<String> values = params.getOrDefault(name, List.of());
      return values.size() == 1 ? values.get(0) : null;
    }
  }

  /** How to answer one batchGet: a fixed status and body, or the data; either after a delay. */
  record Answer(int status, String body, long delayMillis) {
    static final Answer DATA = new Answer(200, null, 0);

    static Answer error(int status, String apiStatus, String message) {
      return new Answer(status, "{\"error\": {\"code\": " + status + ", \"message\": \"" + message
          + "\", \"status\": \"" + apiStatus + "\"}}", 0);
    }

    static Answer body(String json) {
      return new Answer(200, json, 0);
    }

    static Answer dataAfter(long delayMillis) {
      return new Answer(200, null, delayMillis);
    }
  }

  private static final Pattern A1 = Pattern.compile("('(?:[^']|'')+'|[^'!]+)!([A-Z]+)(\\d+):([A-Z]+)(\\d+)");

  final String spreadsheetId;
  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final Map<String, List<List<Object>>> tabs = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<String> tokenRequests = new CopyOnWriteArrayList<>();

  FakeSheetsApi(String spreadsheetId) throws IOException {
    this.spreadsheetId = spreadsheetId;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(handlers);
    server.start();
  }

  URI rootUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  URI tokenUrl() {
    return rootUrl().resolve("token");
  }

  void tab(String name, List<List<Object>> rows) {
    tabs.put(name, rows);
  }

  /** The next batchGets are answered in this order; after them, with the data. */
  void script(Answer... answers) {
    Collections.addAll(script, answers);
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The bodies of the token requests (form-encoded). */
  List<String> tokenRequests() {
    return List.copyOf(tokenRequests);
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/token")) {
        tokenRequests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        send(exchange, 200, "{\"access_token\": \"" + TOKEN + "\", \"expires_in\": 3600, \"token_type\": \"Bearer\"}");
        return;
      }
      requests.add(new Request(path, params(exchange.getRequestURI().getRawQuery()),
          exchange.getRequestHeaders().getFirst("Authorization")));
      Answer answer = script.poll();
      answer = answer == null ? Answer.DATA : answer;
      if (answer.delayMillis() > 0) {
        Thread.sleep(answer.delayMillis());
      }
      if (answer.body() != null) {
        send(exchange, answer.status(), answer.body());
      } else if (!path.equals("/v4/spreadsheets/" + spreadsheetId + "/values:batchGet")) {
        send(exchange, 404, Answer.error(404, "NOT_FOUND", "Requested entity was not found.").body());
      } else {
        serveData(exchange, params(exchange.getRequestURI().getRawQuery()).getOrDefault("ranges", List.of()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the test is over
    }
  }

  private void serveData(HttpExchange exchange, List<String> ranges) throws IOException {
    List<Matcher> parsed = new ArrayList<>();
    for (String range : ranges) {
      Matcher m = A1.matcher(range);
      if (!m.matches() || !tabs.containsKey(unquote(m.group(1)))) {
        send(exchange, 400, Answer.error(400, "INVALID_ARGUMENT", "Unable to parse range: " + range).body());
        return;
      }
      parsed.add(m);
    }
    StringWriter text = new StringWriter();
    try (JsonWriter json = new JsonWriter(text)) {
      json.beginObject().name("spreadsheetId").value(spreadsheetId).name("valueRanges").beginArray();
      for (Matcher m : parsed) {
        writeValueRange(json, unquote(m.group(1)), column(m.group(2)), Integer.parseInt(m.group(3)),
            column(m.group(4)), Integer.parseInt(m.group(5)));
      }
      json.endArray().endObject();
    }
    send(exchange, 200, text.toString());
  }

  private void writeValueRange(JsonWriter json, String tab, int firstColumn, int firstRow, int lastColumn,
      int lastRow) throws IOException {
    List<List<Object>> rows = tabs.get(tab);
    List<List<Object>> block = new ArrayList<>();
    int widest = 0;
    for (int r = firstRow; r <= Math.min(lastRow, rows.size()); r++) {
      List<Object> row = rows.get(r - 1);
      List<Object> cells = new ArrayList<>();
      for (int c = firstColumn; c <= Math.min(lastColumn, row.size()); c++) {
        cells.add(row.get(c - 1));
      }
      while (!cells.isEmpty() && cells.get(cells.size() - 1) == null) {
        cells.remove(cells.size() - 1);
      }
      block.add(cells);
      widest = Math.max(widest, cells.size());
    }
    while (!block.isEmpty() && block.get(block.size() - 1).isEmpty()) {
      block.remove(block.size() - 1);
    }
    String name = tab.matches("[A-Za-z0-9_]+") ? tab : "'" + tab.replace("'", "''") + "'";
    json.beginObject().name("range");
    if (block.isEmpty()) {
      json.value(name + "!" + letters(firstColumn) + firstRow + ":" + letters(lastColumn) + lastRow);
    } else {
      json.value(name + "!" + letters(firstColumn) + firstRow + ":" + letters(firstColumn + widest - 1)
          + (firstRow + block.size() - 1));
    }
    json.name("majorDimension").value("ROWS");
    if (!block.isEmpty()) {
      json.name("values").beginArray();
      for (List<Object> row : block) {
        json.beginArray();
        for (Object cell : row) {
          if (cell == null) {
            json.value("");
          } else if (cell instanceof Number n) {
            json.value(n);
          } else if (cell instanceof Boolean b) {
            json.value(b);
          } else {
            json.value(cell.toString());
          }
        }
        json.endArray();
      }
      json.endArray();
    }
    json.endObject();
  }

  private static Map<String, List<String>> params(String rawQuery) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (rawQuery == null) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String unquote(String tab) {
    return tab.startsWith("'") ? tab.substring(1, tab.length() - 1).replace("''", "'") : tab;
  }

  private static int column(String letters) {
    int n = 0;
    for (char c : letters.toCharArray()) {
      n = n * 26 + (c - 'A' + 1);
    }
    return n;
  }

  private static String letters(int column) {
    StringBuilder s = new StringBuilder();
    for (int n = column; n > 0; n = (n - 1) / 26) {
      s.insert(0, (char) ('A' + (n - 1) % 26));
    }
    return s.toString();
  }
}
