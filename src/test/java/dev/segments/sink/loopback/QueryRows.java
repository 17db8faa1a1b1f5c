package dev.segments.sink.loopback;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.TableResult;
import java.util.ArrayList;
import java.util.List;

/** A query's answer through the official client, as rows of strings (null for NULL), for assertions. */
public final class QueryRows {
  private QueryRows() {}

  public static List<List<String>> of(TableResult result) {
    List<List<String>> rows = new ArrayList<>();
    for (FieldValueList row : result.iterateAll()) {
      List<String> values = new ArrayList<>();
      row.forEach(v -> values.add(v.isNull() ? null : v.getStringValue()));
      rows.add(values);
    }
    return rows;
  }

  /** Runs {@code sql} as a query job and answers its rows. */
  public static List<List<String>> of(BigQuery client, String sql) throws InterruptedException {
    return of(client.query(QueryJobConfiguration.of(sql)));
  }
}
