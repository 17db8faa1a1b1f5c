package dev.segments.sink;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.bigquery.BigQuery;
import dev.segments.sink.loopback.LoopbackBigQuery;
import dev.segments.sink.loopback.Step;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * A missing dataset the account may not create: BigQuery answers datasets.insert with 403 accessDenied when the
 * caller lacks bigquery.datasets.create (https://cloud.google.com/bigquery/docs/datasets#required_permissions), as
 * the batch's account does (scripts/gcp-setup.sh grants it roles on the dataset only). The run says what to do.
 */
class DatasetCreationTest {

  @Test
  void aRefusedCreationPointsAtTheSetUpScript() {
    try (LoopbackBigQuery server = LoopbackBigQuery.start("segments-loopback")) {
      BigQueryConfig config = new BigQueryConfig(server.projectId(), "customer_segments", "europe-west2",
          "segments-staging", null, null, null, server.endpoint(), null, null);
      BigQueryWarehouse warehouse = new BigQueryWarehouse(config,
          () -> BigQueryWarehouse.client(config, BigQueryWarehouse.defaultRetries()), step -> { }, Clock.systemUTC(),
          () -> "t");
      server.faults().failNext(Step.DATASETS_INSERT, 403);
      BigQuery client = BigQueryWarehouse.client(config, BigQueryWarehouse.defaultRetries());

      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> warehouse.ensureDataset(client));

      assertTrue(refused.getMessage().startsWith("BigQuery dataset segments-loopback.customer_segments does not "
          + "exist, and this account may not create it (HTTP 403 accessDenied"), refused.getMessage());
      assertTrue(refused.getMessage().contains("Create it in europe-west2 with scripts/gcp-setup.sh"),
          refused.getMessage());
      assertNull(client.getDataset("customer_segments"));
    }
  }
}
