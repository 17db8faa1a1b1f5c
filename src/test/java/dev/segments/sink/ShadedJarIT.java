package dev.segments.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar keeps the Google client libraries under our own names, so the copies Dataproc puts on the class
 * path (which take precedence) cannot mix with ours, and the relocated BigQuery client still starts: its service
 * factories are found and it builds requests (an integration test: it needs {@code package}).
 */
class ShadedJarIT {
  private static final Path JAR = Path.of("target", "customer-segments.jar");
  private static final String SHADED = "dev/segments/shaded/";

  @Test
  void theGoogleClientLibrariesAreRelocated() throws IOException {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: run mvn package first");
    List<String> unrelocated = new ArrayList<>();
    List<String> relocatedPackages = List.of("com/google/api/client/", "com/google/api/gax/", "com/google/auth/",
        "com/google/cloud/bigquery/", "com/google/api/services/sheets/", "com/google/gson/", "io/grpc/",
        "io/opencensus/", "io/opentelemetry/", "com/google/common/", "com/google/protobuf/");
    List<String> found = new ArrayList<>();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      jar.stream().map(ZipEntry::getName).filter(name -> name.endsWith(".class")).forEach(name -> {
        for (String prefix : relocatedPackages) {
          if (name.startsWith(prefix)) {
            unrelocated.add(name);
          } else if (name.startsWith(SHADED + prefix) && !found.contains(prefix)) {
            found.add(prefix);
          }
        }
        if (name.startsWith("com/google/cloud/spark/")) {
          unrelocated.add(name + " (the connector is provided by the runtime, never bundled)");
        }
      });
    }
    assertEquals(List.of(), unrelocated.stream().limit(20).toList());
    assertEquals(relocatedPackages.stream().sorted().toList(), found.stream().sorted().toList(),
        "every relocated library is in the jar under " + SHADED);
  }

  /**
   * Loads the relocated client from the jar alone (no test class path behind it) and asks a loopback server for a
   * dataset, with placeholder credentials as the sink uses for a stand-in endpoint: options, factories found through
   * their relocated names, the HTTP transport, OpenCensus tracing (with gRPC's Context), JSON parsing and the typed
   * 404 all work relocated. The server answers 404 as BigQuery does for a missing dataset, so getDataset is null.
   */
  @Test
  void theRelocatedBigQueryClientWorksFromTheJar() throws Exception {
    List<String> requests = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = ("{\"error\":{\"code\":404,\"message\":\"Not found: Dataset example-project:sales\","
          + "\"errors\":[{\"reason\":\"notFound\",\"message\":\"Not found: Dataset example-project:sales\"}],"
          + "\"status\":\"NOT_FOUND\"}}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
      exchange.sendResponseHeaders(404, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try (URLClassLoader jar = new URLClassLoader(new URL[] {JAR.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> options = jar.loadClass("dev.segments.shaded.com.google.cloud.bigquery.BigQueryOptions");
      Class<?> token = jar.loadClass("dev.segments.shaded.com.google.auth.oauth2.AccessToken");
      Class<?> credentials = jar.loadClass("dev.segments.shaded.com.google.auth.oauth2.GoogleCredentials");
      Object accessToken = token.getConstructor(String.class, java.util.Date.class).newInstance("placeholder", null);
      Object googleCredentials = credentials.getMethod("create", token).invoke(null, accessToken);
      Object builder = options.getMethod("newBuilder").invoke(null);
      Class<?> builderClass = builder.getClass();
      builderClass.getMethod("setProjectId", String.class).invoke(builder, "example-project");
      builderClass.getMethod("setHost", String.class).invoke(builder,
          "http://127.0.0.1:" + server.getAddress().getPort());
      builderClass.getMethod("setCredentials", jar.loadClass("dev.segments.shaded.com.google.auth.Credentials"))
          .invoke(builder, googleCredentials);
      Object service = options.getMethod("getService").invoke(builderClass.getMethod("build").invoke(builder));
      assertEquals("dev.segments.shaded.com.google.cloud.bigquery.BigQueryImpl", service.getClass().getName());
      Class<?> datasetOption = jar.loadClass("dev.segments.shaded.com.google.cloud.bigquery.BigQuery$DatasetOption");
      Object dataset = jar.loadClass("dev.segments.shaded.com.google.cloud.bigquery.BigQuery").getMethod("getDataset", String.class, datasetOption.arrayType())
          .invoke(service, "sales", java.lang.reflect.Array.newInstance(datasetOption, 0));
      assertNull(dataset);
      assertEquals(List.of("GET /bigquery/v2/projects/example-project/datasets/sales Bearer placeholder"), requests);
    } finally {
      server.stop(0);
    }
  }
}
