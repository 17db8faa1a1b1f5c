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
    BigQueryConfig config = new BigQueryConfig("example-project", "sales", "EU", null, null, Map.of("team", "bi"));
    var rows = new SampleRun("run-1", java.time.LocalDate.parse("2024-06-30"), List.of(), List.of()).outputs()
        .tables().get("k_selection");
    DataFrameWriter<Row> writer = rows.write().format(BigQueryWarehouse.FORMAT).mode(SaveMode.Overwrite);
    new BigQueryWarehouse(config).writerOptions("k_selection", rows.schema(), "run-1").forEach(writer::option);
    writer.option("credentialsFile", missingCredentials());
    assertCredentialsProblem(assertThrows(Throwable.class, writer::save));
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
