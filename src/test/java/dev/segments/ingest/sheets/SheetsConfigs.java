package dev.segments.ingest.sheets;

import java.time.Duration;
import java.util.Map;

/**
 * A {@link SheetsSourceConfig} with one setting changed, for the settings only the tests change one at a time (the
 * configuration file binds all of them at once).
 */
final class SheetsConfigs {
  private SheetsConfigs() {}

  static SheetsSourceConfig withRanges(SheetsSourceConfig c, Map<String, String> ranges) {
    return new SheetsSourceConfig(c.spreadsheetId(), ranges, c.credentialsFile(), c.rootUrl(), c.rowsPerRequest(),
        c.retry(), c.connectTimeout(), c.readTimeout(), c.impersonateServiceAccount(), c.iamRootUrl());
  }

  static SheetsSourceConfig withRowsPerRequest(SheetsSourceConfig c, int rows) {
    return new SheetsSourceConfig(c.spreadsheetId(), c.ranges(), c.credentialsFile(), c.rootUrl(), rows, c.retry(),
        c.connectTimeout(), c.readTimeout(), c.impersonateServiceAccount(), c.iamRootUrl());
  }

  static SheetsSourceConfig withRetry(SheetsSourceConfig c, RetryPolicy retry) {
    return new SheetsSourceConfig(c.spreadsheetId(), c.ranges(), c.credentialsFile(), c.rootUrl(), c.rowsPerRequest(),
        retry, c.connectTimeout(), c.readTimeout(), c.impersonateServiceAccount(), c.iamRootUrl());
  }

  static SheetsSourceConfig withTimeouts(SheetsSourceConfig c, Duration connect, Duration read) {
    return new SheetsSourceConfig(c.spreadsheetId(), c.ranges(), c.credentialsFile(), c.rootUrl(), c.rowsPerRequest(),
        c.retry(), connect, read, c.impersonateServiceAccount(), c.iamRootUrl());
  }
}
