package dev.segments.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs BigQuery DDL (create the dataset, create or replace the views) through the REST API's {@code jobs.query},
 * waiting for each statement to finish. The Spark connector writes the tables but cannot run DDL, and its own
 * BigQuery client is shaded away; this small client keeps the root URL and credentials replaceable so it is tested
 * against a loopback server.
 */
public final class BigQueryDdlClient {
  public static final String DEFAULT_ROOT_URL = "https://bigquery.googleapis.com/";
  static final String SCOPE = "https://www.googleapis.com/auth/bigquery";
  private static final Logger LOG = LoggerFactory.getLogger(BigQueryDdlClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WAIT_MS = 10_000;
  private static final int MAX_WAITS = 60;

  private final String rootUrl;
  private final HttpRequestFactory requests;

  public BigQueryDdlClient(String rootUrl, GoogleCredentials credentials) {
    this.rootUrl = rootUrl.endsWith("/") ? rootUrl : rootUrl + "/";
    GoogleCredentials scoped = credentials.createScopedRequired() ? credentials.createScoped(List.of(SCOPE)) : credentials;
    this.requests = new NetHttpTransport().createRequestFactory(new HttpCredentialsAdapter(scoped));
  }

  /** A client for the real API with the application default credentials (gcloud login, service account, GCE). */
  public static BigQueryDdlClient withApplicationDefaultCredentials() {
    try {
      return new BigQueryDdlClient(DEFAULT_ROOT_URL, GoogleCredentials.getApplicationDefault());
    } catch (IOException e) {
      throw new UncheckedIOException("no Google application default credentials: run "
          + "`gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS", e);
    }
  }

  /** A BigQuery error answer: the HTTP status and BigQuery's message. */
  public static final class DdlException extends RuntimeException {
    private final int status;

    DdlException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /**
   * Runs one GoogleSQL statement in the project and waits until it is done. A failed statement comes back as an
   * HTTP error from {@code jobs.query} or from {@code jobs.getQueryResults} while waiting.
   *
   * @param location the job's location, or null for BigQuery's default
   * @param labels job labels
   * @throws DdlException when BigQuery refuses or fails the statement
   */
  public void execute(String project, String location, String sql, Map<String, String> labels) {
    ObjectNode body = JSON.createObjectNode();
    body.put("query", sql);
    body.put("useLegacySql", false);
    body.put("timeoutMs", WAIT_MS);
    // Makes a retried request run the statement at most once.
    body.put("requestId", UUID.randomUUID().toString());
    if (location != null) {
      body.put("location", location);
    }
    ObjectNode labelsNode = body.putObject("labels");
    labels.forEach(labelsNode::put);
    String projectPath = rootUrl + "bigquery/v2/projects/" + encode(project);
    JsonNode answer = send(project, sql, () -> requests.buildPostRequest(new GenericUrl(projectPath + "/queries"),
        new ByteArrayContent("application/json", JSON.writeValueAsBytes(body))));
    for (int waits = 0; !answer.path("jobComplete").asBoolean(false); waits++) {
      if (waits == MAX_WAITS) {
        throw new DdlException(0, "BigQuery statement not finished after " + MAX_WAITS * WAIT_MS / 1000 + " s: "
            + firstLine(sql));
      }
      JsonNode job = answer.path("jobReference");
      String url = projectPath + "/queries/" + encode(job.path("jobId").asText()) + "?timeoutMs=" + WAIT_MS
          + (job.hasNonNull("location") ? "&location=" + encode(job.path("location").asText()) : "");
      answer = send(project, sql, () -> requests.buildGetRequest(new GenericUrl(url)));
    }
    LOG.info("BigQuery statement done in project {}: {}", project, firstLine(sql));
  }

  private interface RequestBuilder {
    HttpRequest build() throws IOException;
  }

  private static JsonNode send(String project, String sql, RequestBuilder builder) {
    try {
      HttpResponse response = builder.build().execute();
      try (InputStream content = response.getContent()) {
        return JSON.readTree(content);
      }
    } catch (HttpResponseException e) {
      String message = e.getContent() == null ? e.getStatusMessage() : errorMessage(e.getContent());
      throw new DdlException(e.getStatusCode(), "BigQuery answered " + e.getStatusCode() + " in project " + project
          + " to " + firstLine(sql) + ": " + message);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach BigQuery for " + firstLine(sql), e);
    }
  }

  private static String errorMessage(String content) {
    try {
      return JSON.readTree(content).path("error").path("message").asText(content);
    } catch (IOException e) {
      return content;
    }
  }

  private static String firstLine(String sql) {
    return sql.strip().lines().findFirst().orElse("");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
