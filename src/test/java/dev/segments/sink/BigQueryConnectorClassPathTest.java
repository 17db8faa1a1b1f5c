package dev.segments.sink;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector jar works beside Spark 3.5.6 on our class path: the data source resolves and gets as far as
 * looking for credentials. A credentials file that does not exist keeps the test off the network and away from
 * any credentials of the machine it runs on.
 */
class BigQueryConnectorClassPathTest {
  @TempDir
  Path folder;

  @Test
  void theDataSourceIsRegisteredBesideSpark() {
    assertDoesNotThrow(() -> Class.forName("com.google.cloud.spark.bigquery.v2.Spark35BigQueryTableProvider"));
  }

  @Test
  void readingWithoutCredentialsFailsOnCredentialsNotOnLinkage() {
    Throwable error = assertThrows(Throwable.class, () -> LocalSpark.session().read().format(BigQueryWarehouse.FORMAT)
        .option("table", "example-project.sales.customer_segments")
        .option("parentProject", "example-project")
        .option("credentialsFile", missingCredentials())
        .load()
        .count());
    assertCredentialsProblem(error);
  }

  @Test
  void writingWithTheSinksOptionsFailsOnCredentialsNotOnOptionsOrLinkage() {
    BigQueryConfig config = new BigQueryConfig("example-project", "sales", "EU", "tmp-bucket", null,
        Map.of("team", "bi"), null, null, null, null);
    RunOutputs outputs = new SampleRun("run-1", java.time.LocalDate.parse("2024-06-30"), List.of(), List.of())
        .outputs();
    PublishPlan plan = PublishPlan.of(config, outputs, ViewCatalog.load(), "t1");
    PublishPlan.TableLoad kSelection = plan.tables().stream().filter(t -> t.name().equals("k_selection"))
        .findFirst().orElseThrow();
    DataFrameWriter<Row> writer = kSelection.rows().write().format(BigQueryWarehouse.FORMAT).mode(SaveMode.Append);
    plan.connectorOptions(kSelection).forEach(writer::option);
    writer.option("credentialsFile", missingCredentials());
    assertCredentialsProblem(assertThrows(Throwable.class, writer::save));
  }

  /** The batch asks Dataproc for the very connector build the tests run with. */
  @Test
  void theBatchPinsTheConnectorVersionOfThePom() throws java.io.IOException {
    String pom = java.nio.file.Files.readString(Path.of("pom.xml"));
    java.util.regex.Matcher version =
        java.util.regex.Pattern.compile("<bigquery.connector.version>(.+)</bigquery.connector.version>").matcher(pom);
    assertTrue(version.find(), "no bigquery.connector.version in pom.xml");
    String batch = java.nio.file.Files.readString(Path.of("dataproc", "batch.env"));
    assertTrue(batch.contains("\nBIGQUERY_CONNECTOR_VERSION=" + version.group(1) + "\n"), batch);
    assertTrue(batch.contains("dataproc.sparkBqConnector.uri=gs://spark-lib/bigquery/spark-3.5-bigquery-"
        + "${BIGQUERY_CONNECTOR_VERSION}.jar"), batch);
    assertTrue(pom.contains("<artifactId>spark-3.5-bigquery</artifactId>"), "the pom's connector is the Spark 3.5 build");
  }

  private String missingCredentials() {
    return folder.resolve("no-such-credentials.json").toString();
  }

  private static void assertCredentialsProblem(Throwable error) {
    List<String> chain = new ArrayList<>();
    for (Throwable t = error; t != null; t = t.getCause()) {
      chain.add(t.getClass().getName() + ": " + t.getMessage());
      assertTrue(!(t instanceof LinkageError) && !(t instanceof ClassNotFoundException),
          "class path problem: " + chain);
    }
    String all = String.join("\n", chain).toLowerCase(Locale.ROOT);
    assertTrue(all.contains("credentials") && all.contains("no-such-credentials.json"), String.join("\n", chain));
  }
}
