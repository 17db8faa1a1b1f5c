package dev.segments.ingest.sheets;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import com.sun.net.httpserver.HttpExchange;
import dev.segments.JsonAnswer;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for {@code spreadsheets.values.batchGet} and {@code spreadsheets.get} of the Sheets API v4,
 * for an OAuth token endpoint and for the IAM Credentials API's {@code generateAccessToken}. It serves tabs held as
 * rows of cells (row 1 first; null is an empty cell) and answers as the real API does: trailing empty cells and
 * rows left out, empty cells inside a row as "", the {@code values} key absent for an empty range, errors as
 * {@code {"error": {"code", "message", "status"}}}. Faults are scripted per batchGet.
 *
 * <p>Tokens are checked as Google checks them. Every token is minted here, for an account and a set of scopes:
 * {@link #TOKEN} (a Sheets-scoped token handed to tests directly), the JWT-bearer grant of a service-account key
 * (the scopes of its assertion), {@link #issueToken} (what a metadata server hands out) and generateAccessToken.
 * The Sheets methods accept only a token with one of their documented scopes
 * (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/batchGet,
 * "Authorization scopes") and refuse others with 403 PERMISSION_DENIED and the {@code google.rpc.ErrorInfo} reason
 * ACCESS_TOKEN_SCOPE_INSUFFICIENT, as Google APIs do (https://cloud.google.com/docs/authentication/troubleshoot-auth);
 * an unknown token gets 401 UNAUTHENTICATED. generateAccessToken
 * (https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/generateAccessToken)
 * needs a caller token with the cloud-platform (or iam) scope and, for the caller's account,
 * {@code iam.serviceAccounts.getAccessToken} on the target (roles/iam.serviceAccountTokenCreator, granted with
 * {@link #grantTokenCreator}); it refuses with 403 PERMISSION_DENIED otherwise and 404 for an unknown account.
 */
final class FakeSheetsApi implements AutoCloseable {

  static final String TOKEN = "test-token";
  static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

  /** The scopes the Sheets API's read methods accept. */
  static final Set<String> SHEETS_SCOPES = Set.of(
      "https://www.googleapis.com/auth/spreadsheets.readonly", "https://www.googleapis.com/auth/spreadsheets",
      "https://www.googleapis.com/auth/drive.readonly", "https://www.googleapis.com/auth/drive",
      "https://www.googleapis.com/auth/drive.file");

  /** An access token as minted: whose it is and for which scopes. */
  record Minted(String account, List<String> scopes) {}

  /** A generateAccessToken call as the server received it. */
  record MintRequest(String targetAccount, String callerToken, String body) {}

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
  // In the order added, as a spreadsheet lists its tabs; filled before the requests come.
  private final Map<String, List<List<Object>>> tabs = Collections.synchronizedMap(new LinkedHashMap<>());
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
  private final Map<String, Minted> tokens = new ConcurrentHashMap<>();
  private final AtomicInteger minted = new AtomicInteger();
  private final Map<String, Set<String>> tokenCreators = new ConcurrentHashMap<>();
  private final List<MintRequest> mintRequests = new CopyOnWriteArrayList<>();
  private final List<String> metadataRequests = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> gridRows = new ConcurrentHashMap<>();
  private volatile Set<String> sharedWith;

  FakeSheetsApi(String spreadsheetId) throws IOException {
    this.spreadsheetId = spreadsheetId;
    tokens.put(TOKEN, new Minted("tester@example.com", List.of(SheetsCredentials.READONLY_SCOPE)));
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

  /** A tab whose grid ends at its last row. */
  void tab(String name, List<List<Object>> rows) {
    tabs.put(name, rows);
  }

  /** A tab whose grid has {@code gridRowCount} rows, blank ones after the rows given. */
  void tab(String name, List<List<Object>> rows, int gridRowCount) {
    tabs.put(name, rows);
    gridRows.put(name, gridRowCount);
  }

  /** Only these accounts may read the spreadsheet (by default anyone with a Sheets-scoped token). */
  void shareWith(String... accounts) {
    sharedWith = Set.of(accounts);
  }

  /** A token as another issuer (a metadata server) would hand it out. */
  String issueToken(String account, String... scopes) {
    String token = "ya29.issued-" + minted.incrementAndGet();
    tokens.put(token, new Minted(account, List.of(scopes)));
    return token;
  }

  /** Gives {@code caller} roles/iam.serviceAccountTokenCreator on {@code target}; makes {@code target} exist. */
  void grantTokenCreator(String target, String caller) {
    tokenCreators.computeIfAbsent(target, t -> ConcurrentHashMap.newKeySet()).add(caller);
  }

  /** Makes the service account exist with no one allowed to mint its tokens. */
  void serviceAccount(String email) {
    tokenCreators.computeIfAbsent(email, t -> ConcurrentHashMap.newKeySet());
  }

  /** The account and scopes a token was minted for, or null when this server never minted it. */
  Minted tokenInfo(String bearer) {
    return bearer == null ? null : tokens.get(bearer.replaceFirst("^Bearer ", ""));
  }

  List<MintRequest> mintRequests() {
    return List.copyOf(mintRequests);
  }

  /** The paths and queries of the spreadsheets.get calls. */
  List<String> metadataRequests() {
    return List.copyOf(metadataRequests);
  }

  String generateAccessTokenPath(String serviceAccount) {
    return "/v1/projects/-/serviceAccounts/" + serviceAccount + ":generateAccessToken";
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
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (path.equals("/token")) {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        tokenRequests.add(form);
        JsonAnswer.send(exchange, 200, "{\"access_token\": \"" + mintFromAssertion(form)
            + "\", \"expires_in\": 3600, \"token_type\": \"Bearer\"}");
        return;
      }
      if (path.equals("/v1/token")) {
        exchangeToken(exchange);
        return;
      }
      if (path.startsWith("/v1/projects/-/serviceAccounts/") && path.endsWith(":generateAccessToken")) {
        generateAccessToken(exchange, path, authorization);
        return;
      }
      Answer refused = sheetsAuthorization(authorization);
      if (refused != null) {
        JsonAnswer.send(exchange, refused.status(), refused.body());
        return;
      }
      if (path.equals("/v4/spreadsheets/" + spreadsheetId) && "GET".equals(exchange.getRequestMethod())) {
        metadataRequests.add(exchange.getRequestURI().getRawQuery());
        serveMetadata(exchange);
        return;
      }
      requests.add(new Request(path, params(exchange.getRequestURI().getRawQuery()), authorization));
      Answer answer = script.poll();
      answer = answer == null ? Answer.DATA : answer;
      if (answer.delayMillis() > 0) {
        Thread.sleep(answer.delayMillis());
      }
      if (answer.body() != null) {
        JsonAnswer.send(exchange, answer.status(), answer.body());
      } else if (!path.equals("/v4/spreadsheets/" + spreadsheetId + "/values:batchGet")) {
        JsonAnswer.send(exchange, 404, Answer.error(404, "NOT_FOUND", "Requested entity was not found.").body());
      } else {
        serveData(exchange, params(exchange.getRequestURI().getRawQuery()).getOrDefault("ranges", List.of()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the test is over
    }
  }

  /** Null when the token may read the spreadsheet; else the refusal the Sheets API gives. */
  private Answer sheetsAuthorization(String authorization) {
    Minted token = tokenInfo(authorization);
    if (token == null) {
      return Answer.error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 "
          + "access token, login cookie or other valid authentication credential.");
    }
    if (token.scopes().stream().noneMatch(SHEETS_SCOPES::contains)) {
      return new Answer(403, scopeInsufficient("sheets.googleapis.com",
          "google.apps.sheets.v4.SpreadsheetsService.BatchGetValues"), 0);
    }
    if (sharedWith != null && !sharedWith.contains(token.account())) {
      return Answer.error(403, "PERMISSION_DENIED", "The caller does not have permission");
    }
    return null;
  }

  /** The body Google APIs send for a token without the method's scope. */
  static String scopeInsufficient(String service, String method) {
    return """
        {"error": {"code": 403, "message": "Request had insufficient authentication scopes.",
          "errors": [{"message": "Insufficient Permission", "domain": "global", "reason": "insufficientPermissions"}],
          "status": "PERMISSION_DENIED",
          "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
            "domain": "googleapis.com", "metadata": {"service": "%s", "method": "%s"}}]}}
        """.formatted(service, method);
  }

  /** The JWT-bearer grant: a token for the assertion's issuer and scopes (the signature is not checked). */
  private String mintFromAssertion(String form) {
    String decoded = URLDecoder.decode(form, StandardCharsets.UTF_8);
    int at = decoded.indexOf("assertion=");
    if (at < 0) {
      return TOKEN;
    }
    String[] parts = decoded.substring(at + "assertion=".length()).split("[.&]");
    JsonObject claims = JsonParser.parseString(
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)).getAsJsonObject();
    List<String> scopes = claims.has("scope") ? List.of(claims.get("scope").getAsString().split(" ")) : List.of();
    String token = "ya29.key-" + minted.incrementAndGet();
    tokens.put(token, new Minted(claims.get("iss").getAsString(), scopes));
    return token;
  }

  /**
   * The Security Token Service's token exchange (https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token)
   * as Workload Identity Federation uses it: a subject token from GitHub becomes a federated token of the principal
   * {@code principal://.../subject/<sub>} for the scopes asked. The subject token here is the subject itself.
   */
  private void exchangeToken(HttpExchange exchange) throws IOException {
    Map<String, List<String>> form = params(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    tokenRequests.add(form.toString());
    if (!List.of("urn:ietf:params:oauth:grant-type:token-exchange").equals(form.get("grant_type"))
        || form.get("subject_token") == null || form.get("audience") == null) {
      JsonAnswer.send(exchange, 400, "{\"error\": \"invalid_request\", \"error_description\": \"Invalid token exchange\"}");
      return;
    }
    String token = "ya29.federated-" + minted.incrementAndGet();
    List<String> scopes = form.containsKey("scope") ? List.of(form.get("scope").get(0).split(" ")) : List.of();
    tokens.put(token, new Minted(federatedPrincipal(form.get("subject_token").get(0)), scopes));
    JsonAnswer.send(exchange, 200, "{\"access_token\": \"" + token + "\", \"issued_token_type\": "
        + "\"urn:ietf:params:oauth:token-type:access_token\", \"token_type\": \"Bearer\", \"expires_in\": 3600}");
  }

  static String federatedPrincipal(String subject) {
    return "principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/github/subject/" + subject;
  }

  private void generateAccessToken(HttpExchange exchange, String path, String authorization) throws IOException {
    String target = path.substring("/v1/projects/-/serviceAccounts/".length(), path.length() - ":generateAccessToken".length());
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    mintRequests.add(new MintRequest(target, authorization, body));
    Minted caller = tokenInfo(authorization);
    if (caller == null) {
      JsonAnswer.send(exchange, 401, Answer.error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.").body());
      return;
    }
    if (!caller.scopes().contains(CLOUD_PLATFORM) && !caller.scopes().contains("https://www.googleapis.com/auth/iam")) {
      JsonAnswer.send(exchange, 403, scopeInsufficient("iamcredentials.googleapis.com",
          "google.iam.credentials.v1.IAMCredentials.GenerateAccessToken"));
      return;
    }
    Set<String> creators = tokenCreators.get(target);
    if (creators == null) {
      JsonAnswer.send(exchange, 404, Answer.error(404, "NOT_FOUND", "Requested entity was not found.").body());
      return;
    }
    if (!creators.contains(caller.account())) {
      JsonAnswer.send(exchange, 403, Answer.error(403, "PERMISSION_DENIED", "Permission 'iam.serviceAccounts.getAccessToken' "
          + "denied on resource (or it may not exist).").body());
      return;
    }
    JsonObject request = JsonParser.parseString(body).getAsJsonObject();
    List<String> scopes = new ArrayList<>();
    request.getAsJsonArray("scope").forEach(scope -> scopes.add(scope.getAsString()));
    if (scopes.isEmpty()) {
      JsonAnswer.send(exchange, 400, Answer.error(400, "INVALID_ARGUMENT", "Scope required.").body());
      return;
    }
    String token = "ya29.impersonated-" + minted.incrementAndGet();
    tokens.put(token, new Minted(target, List.copyOf(scopes)));
    JsonAnswer.send(exchange, 200, "{\"accessToken\": \"" + token + "\", \"expireTime\": \""
        + Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS) + "\"}");
  }

  /** spreadsheets.get: each tab's title and grid size, whatever fields were asked. */
  private void serveMetadata(HttpExchange exchange) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonWriter json = new JsonWriter(text)) {
      json.beginObject().name("spreadsheetId").value(spreadsheetId).name("sheets").beginArray();
      for (Map.Entry<String, List<List<Object>>> tab : tabs.entrySet()) {
        json.beginObject().name("properties").beginObject().name("title").value(tab.getKey())
            .name("gridProperties").beginObject()
            .name("rowCount").value(gridRows.getOrDefault(tab.getKey(), Math.max(1, tab.getValue().size())))
            .endObject().endObject().endObject();
      }
      json.endArray().endObject();
    }
    JsonAnswer.send(exchange, 200, text.toString());
  }

  private void serveData(HttpExchange exchange, List<String> ranges) throws IOException {
    List<Matcher> parsed = new ArrayList<>();
    for (String range : ranges) {
      Matcher m = A1.matcher(range);
      if (!m.matches() || !tabs.containsKey(unquote(m.group(1)))) {
        JsonAnswer.send(exchange, 400, Answer.error(400, "INVALID_ARGUMENT", "Unable to parse range: " + range).body());
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
    JsonAnswer.send(exchange, 200, text.toString());
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
