package dev.segments.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DDL client against a loopback BigQuery stand-in that records requests and plays back answers. */
class BigQueryDdlClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Recorded(String method, String pathAndQuery, String authorization, String body) {}

  record Answer(int status, String body) {}

  private HttpServer server;
  private final List<Recorded> requests = new ArrayList<>();
  private final Deque<Answer> answers = new ArrayDeque<>();
  private BigQueryDdlClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (requests) {
        requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
            exchange.getRequestHeaders().getFirst("Authorization"), body));
      }
      Answer answer = answers.isEmpty() ? new Answer(500, "{}") : answers.poll();
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    GoogleCredentials credentials =
        GoogleCredentials.create(new AccessToken("test-token", Date.from(Instant.now().plusSeconds(3600))));
    client = new BigQueryDdlClient("http://127.0.0.1:" + server.getAddress().getPort(), credentials);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void postsTheStatementWithLabelsAndTheBearerToken() throws IOException {
    answers.add(new Answer(200, "{\"jobComplete\": true, \"jobReference\": {\"jobId\": \"j1\"}}"));

    client.execute("example-project", "EU", "CREATE SCHEMA IF NOT EXISTS `example-project.sales`",
        Map.of("run_id", "run-7", "team", "bi"));

    assertEquals(1, requests.size());
    Recorded request = requests.get(0);
    assertEquals("POST", request.method());
    assertEquals("/bigquery/v2/projects/example-project/queries", request.pathAndQuery());
    assertEquals("Bearer test-token", request.authorization());
    JsonNode body = JSON.readTree(request.body());
    assertEquals("CREATE SCHEMA IF NOT EXISTS `example-project.sales`", body.path("query").asText());
    assertEquals(false, body.path("useLegacySql").asBoolean(true));
    assertEquals("EU", body.path("location").asText());
    assertEquals("run-7", body.path("labels").path("run_id").asText());
    assertEquals("bi", body.path("labels").path("team").asText());
    assertTrue(body.hasNonNull("requestId"));
  }

  @Test
  void waitsForAStatementThatIsStillRunning() {
    answers.add(new Answer(200,
        "{\"jobComplete\": false, \"jobReference\": {\"jobId\": \"job-42\", \"location\": \"EU\"}}"));
    answers.add(new Answer(200, "{\"jobComplete\": false, \"jobReference\": {\"jobId\": \"job-42\"}}"));
    answers.add(new Answer(200, "{\"jobComplete\": true, \"jobReference\": {\"jobId\": \"job-42\"}}"));

    client.execute("example-project", null, "CREATE OR REPLACE VIEW `example-project.sales.v` AS SELECT 1",
        Map.of());

    assertEquals(3, requests.size());
    for (Recorded poll : requests.subList(1, 3)) {
      assertEquals("GET", poll.method());
      assertTrue(poll.pathAndQuery().startsWith("/bigquery/v2/projects/example-project/queries/job-42?"),
          poll.pathAndQuery());
      assertEquals("Bearer test-token", poll.authorization());
    }
    assertTrue(requests.get(1).pathAndQuery().contains("location=EU"), requests.get(1).pathAndQuery());
  }

  @Test
  void aRefusedStatementFailsWithBigQuerysStatusAndMessage() {
    answers.add(new Answer(403, "{\"error\": {\"code\": 403, \"message\": \"Access Denied: Dataset sales\"}}"));

    BigQueryDdlClient.DdlException error = assertThrows(BigQueryDdlClient.DdlException.class,
        () -> client.execute("example-project", "EU", "CREATE SCHEMA IF NOT EXISTS `example-project.sales`",
            Map.of()));

    assertEquals(403, error.status());
    assertTrue(error.getMessage().contains("Access Denied: Dataset sales"), error.getMessage());
    assertTrue(error.getMessage().contains("CREATE SCHEMA"), error.getMessage());
  }
}
