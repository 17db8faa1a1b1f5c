package dev.segments.ingest.sheets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.segments.ingest.sheets.FakeSheetsApi.Answer;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SheetsCredentialsTest {

  @Test
  void aKeyFileGetsAReadOnlyTokenAndIsNamedWhenTheSheetIsNotShared(@TempDir Path dir) throws Exception {
    try (FakeSheetsApi api = new FakeSheetsApi("sheet1")) {
      api.tab("products", List.of(GoogleSheetsSourceTest.row("Product_ID"), GoogleSheetsSourceTest.row("PR1")));
      GoogleCredentials credentials = SheetsCredentials.load(SheetsSourceConfig.forSpreadsheet("sheet1")
          .withCredentialsFile(TestServiceAccountKey.write(dir, api.tokenUrl())));
      GoogleSheetsSource source = new GoogleSheetsSource(
          SheetsSourceConfig.forSpreadsheet("sheet1").withRootUrl(api.rootUrl()), credentials);

      RecordedSheets got = new RecordedSheets();
      source.fetch(List.of("products"), got);
      api.script(Answer.error(403, "PERMISSION_DENIED", "The caller does not have permission"));
      SheetsAccessException e = assertThrows(SheetsAccessException.class,
          () -> source.fetch(List.of("products"), new RecordedSheets()));

      assertEquals(1, got.rows.get("products").size());
      assertEquals(new FakeSheetsApi.Minted(TestServiceAccountKey.EMAIL, List.of(SheetsCredentials.READONLY_SCOPE)),
          api.tokenInfo(api.requests().get(0).authorization()));
      String tokenRequest = URLDecoder.decode(api.tokenRequests().get(0), StandardCharsets.UTF_8);
      assertTrue(tokenRequest.contains("grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer"), tokenRequest);
      String assertion = tokenRequest.substring(tokenRequest.indexOf("assertion=") + "assertion=".length());
      String claims = new String(Base64.getUrlDecoder().decode(assertion.split("[.&]")[1]), StandardCharsets.UTF_8);
      assertTrue(claims.contains("\"scope\":\"" + SheetsCredentials.READONLY_SCOPE + "\""), claims);
      assertTrue(claims.contains("\"iss\":\"" + TestServiceAccountKey.EMAIL + "\""), claims);
      assertEquals(Optional.of(TestServiceAccountKey.EMAIL), SheetsCredentials.accountOf(credentials));
      assertTrue(e.getMessage().endsWith("share the spreadsheet sheet1 with " + TestServiceAccountKey.EMAIL
          + " (Viewer)"), e.getMessage());
    }
  }

  private static final String BATCH_ACCOUNT = "segments-batch@acme-segments.iam.gserviceaccount.com";

  private static GoogleSheetsSource source(FakeSheetsApi api, GoogleCredentials credentials) {
    return new GoogleSheetsSource(SheetsConfigs.withRetry(
        SheetsSourceConfig.forSpreadsheet(api.spreadsheetId).withRootUrl(api.rootUrl()),
        new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0, Duration.ofSeconds(5))), credentials);
  }

  /** What the metadata server of a Dataproc batch hands out, whatever scope is asked: a cloud-platform token. */
  private static GoogleCredentials metadataServerToken(FakeSheetsApi api, String account) {
    return GoogleCredentials.create(new AccessToken(api.issueToken(account, FakeSheetsApi.CLOUD_PLATFORM),
        Date.from(Instant.now().plusSeconds(3600))));
  }

  private static FakeSheetsApi sheetSharedWithTheBatch() throws Exception {
    FakeSheetsApi api = new FakeSheetsApi("sheet2");
    api.tab("products", List.of(GoogleSheetsSourceTest.row("Product_ID"), GoogleSheetsSourceTest.row("PR1")));
    api.shareWith(BATCH_ACCOUNT);
    return api;
  }

  @Test
  void onDataprocTheBatchAccountMintsItsOwnSheetsTokenThroughTheIamCredentialsApi() throws Exception {
    try (FakeSheetsApi api = sheetSharedWithTheBatch()) {
      api.grantTokenCreator(BATCH_ACCOUNT, BATCH_ACCOUNT);
      GoogleCredentials credentials =
          SheetsCredentials.impersonating(metadataServerToken(api, BATCH_ACCOUNT), BATCH_ACCOUNT, api.rootUrl());

      RecordedSheets got = new RecordedSheets();
      source(api, credentials).fetch(List.of("products"), got);

      assertEquals(1, got.rows.get("products").size());
      FakeSheetsApi.MintRequest mint = api.mintRequests().get(0);
      assertEquals(BATCH_ACCOUNT, mint.targetAccount());
      assertEquals(List.of(FakeSheetsApi.CLOUD_PLATFORM), api.tokenInfo(mint.callerToken()).scopes());
      assertTrue(mint.body().replace(" ", "").contains("\"scope\":[\"" + SheetsCredentials.READONLY_SCOPE + "\"]"),
          mint.body());
      assertEquals(new FakeSheetsApi.Minted(BATCH_ACCOUNT, List.of(SheetsCredentials.READONLY_SCOPE)),
          api.tokenInfo(api.requests().get(0).authorization()));
    }
  }

  @Test
  void aKeyFileAsTheSourceIsScopedToCloudPlatformForTheExchange(@TempDir Path dir) throws Exception {
    try (FakeSheetsApi api = sheetSharedWithTheBatch()) {
      api.grantTokenCreator(BATCH_ACCOUNT, TestServiceAccountKey.EMAIL);
      SheetsSourceConfig config = SheetsSourceConfig.forSpreadsheet("sheet2").withRootUrl(api.rootUrl())
          .withCredentialsFile(TestServiceAccountKey.write(dir, api.tokenUrl()))
          .withImpersonation(BATCH_ACCOUNT, api.rootUrl());

      Map<String, List<String>> headers = GoogleSheetsSource.withConfiguredCredentials(config).headers(List.of("products"));

      assertEquals(Map.of("products", List.of("Product_ID")), headers);
      FakeSheetsApi.Minted caller = api.tokenInfo(api.mintRequests().get(0).callerToken());
      assertEquals(new FakeSheetsApi.Minted(TestServiceAccountKey.EMAIL, List.of(FakeSheetsApi.CLOUD_PLATFORM)), caller);
    }
  }

  /**
   * GitHub Actions: google-github-actions/auth writes an external_account configuration (Workload Identity
   * Federation) that Application Default Credentials load; the library exchanges GitHub's token at STS and, through
   * the deployer's service_account_impersonation_url, gets the deployer's token for the scope asked. Preflight then
   * mints the batch account's Sheets token with it.
   */
  @Test
  void workloadIdentityFederationCredentialsReadAsTheDeployerAndMintTheBatchsToken(@TempDir Path dir) throws Exception {
    String deployer = "segments-deployer@acme-segments.iam.gserviceaccount.com";
    String subject = "repo:acme/customer-segments:ref:refs/heads/main";
    try (FakeSheetsApi api = sheetSharedWithTheBatch()) {
      api.grantTokenCreator(deployer, FakeSheetsApi.federatedPrincipal(subject));
      api.grantTokenCreator(BATCH_ACCOUNT, deployer);
      Path subjectToken = Files.writeString(dir.resolve("github-oidc-token"), subject);
      Path configuration = Files.writeString(dir.resolve("gha-creds.json"), """
          {"type": "external_account",
           "audience": "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/github/providers/github-actions",
           "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
           "token_url": "https://sts.googleapis.com/v1/token",
           "service_account_impersonation_url": "https://iamcredentials.googleapis.com%s",
           "credential_source": {"file": "%s"}}
          """.formatted(api.generateAccessTokenPath(deployer), subjectToken));
      // The library accepts only Google's https addresses in this file; its HTTP connections are opened to the
      // loopback server instead, path and query unchanged.
      int port = api.rootUrl().getPort();
      HttpTransportFactory toLoopback = () -> new NetHttpTransport.Builder().setConnectionFactory(url ->
          (HttpURLConnection) new URL("http", "127.0.0.1", port, url.getFile()).openConnection()).build();
      GoogleCredentials federated;
      try (var in = Files.newInputStream(configuration)) {
        federated = GoogleCredentials.fromStream(in, toLoopback);
      }

      RecordedSheets got = new RecordedSheets();
      source(api, SheetsCredentials.impersonating(federated, BATCH_ACCOUNT, api.rootUrl()))
          .fetch(List.of("products"), got);

      assertEquals(1, got.rows.get("products").size());
      assertEquals(List.of(deployer, BATCH_ACCOUNT),
          api.mintRequests().stream().map(FakeSheetsApi.MintRequest::targetAccount).toList());
      assertEquals(new FakeSheetsApi.Minted(BATCH_ACCOUNT, List.of(SheetsCredentials.READONLY_SCOPE)),
          api.tokenInfo(api.requests().get(0).authorization()));
      // Without impersonation the deployer's own token gets the Sheets scope.
      api.shareWith(BATCH_ACCOUNT, deployer);
      // Fresh from the file, as Application Default Credentials load it (a copy carries a cached token along).
      GoogleCredentials fresh;
      try (var in = Files.newInputStream(configuration)) {
        fresh = GoogleCredentials.fromStream(in, toLoopback);
      }
      source(api, fresh.createScoped(List.of(SheetsCredentials.READONLY_SCOPE)))
          .fetch(List.of("products"), new RecordedSheets());
      FakeSheetsApi.Minted direct = api.tokenInfo(api.requests().get(1).authorization());
      assertEquals(new FakeSheetsApi.Minted(deployer, List.of(SheetsCredentials.READONLY_SCOPE)), direct);
    }
  }

  @Test
  void aCloudPlatformTokenIsReportedAsTheWrongScopeWithTheFixNotAsSharing() throws Exception {
    try (FakeSheetsApi api = sheetSharedWithTheBatch()) {
      SheetsAccessException e = assertThrows(SheetsAccessException.class,
          () -> source(api, metadataServerToken(api, BATCH_ACCOUNT)).fetch(List.of("products"), new RecordedSheets()));

      assertEquals(403, e.statusCode());
      assertTrue(e.getMessage().contains("HTTP 403 ACCESS_TOKEN_SCOPE_INSUFFICIENT"), e.getMessage());
      assertTrue(e.getMessage().contains("set sheets.impersonate_service_account"), e.getMessage());
      assertTrue(e.getMessage().contains("--role=roles/iam.serviceAccountTokenCreator"), e.getMessage());
      assertFalse(e.getMessage().contains("share"), e.getMessage());
    }
  }

  @Test
  void withoutTokenCreatorOnItselfTheBatchIsToldTheBinding() throws Exception {
    try (FakeSheetsApi api = sheetSharedWithTheBatch()) {
      api.serviceAccount(BATCH_ACCOUNT);
      GoogleCredentials credentials =
          SheetsCredentials.impersonating(metadataServerToken(api, BATCH_ACCOUNT), BATCH_ACCOUNT, api.rootUrl());

      SheetsAccessException e = assertThrows(SheetsAccessException.class,
          () -> source(api, credentials).fetch(List.of("products"), new RecordedSheets()));

      assertEquals(403, e.statusCode());
      assertTrue(e.getMessage().startsWith("the IAM Credentials API did not mint a Sheets token for " + BATCH_ACCOUNT),
          e.getMessage());
      assertTrue(e.getMessage().contains("iam.serviceAccounts.getAccessToken"), e.getMessage());
      assertTrue(e.getMessage().contains("gcloud iam service-accounts add-iam-policy-binding " + BATCH_ACCOUNT),
          e.getMessage());
      assertEquals(1, api.mintRequests().size(), "a refusal is not retried");
      assertEquals(List.of(), api.requests());
    }
  }

  @Test
  void anUnknownServiceAccountIsNamed() throws Exception {
    try (FakeSheetsApi api = sheetSharedWithTheBatch()) {
      String typo = "segments-bacth@acme-segments.iam.gserviceaccount.com";
      GoogleCredentials credentials =
          SheetsCredentials.impersonating(metadataServerToken(api, BATCH_ACCOUNT), typo, api.rootUrl());

      SheetsAccessException e = assertThrows(SheetsAccessException.class,
          () -> source(api, credentials).fetch(List.of("products"), new RecordedSheets()));

      assertEquals(404, e.statusCode());
      assertTrue(e.getMessage().endsWith("no such service account: check sheets impersonate_service_account"),
          e.getMessage());
    }
  }

  @Test
  void aRealPermissionDeniedStillSaysShareWithTheImpersonatedAccount() throws Exception {
    try (FakeSheetsApi api = sheetSharedWithTheBatch()) {
      api.shareWith("someone-else@example.com");
      api.grantTokenCreator(BATCH_ACCOUNT, BATCH_ACCOUNT);
      GoogleCredentials credentials =
          SheetsCredentials.impersonating(metadataServerToken(api, BATCH_ACCOUNT), BATCH_ACCOUNT, api.rootUrl());

      SheetsAccessException e = assertThrows(SheetsAccessException.class,
          () -> source(api, credentials).fetch(List.of("products"), new RecordedSheets()));

      assertEquals(403, e.statusCode());
      assertTrue(e.getMessage().endsWith("share the spreadsheet sheet2 with " + BATCH_ACCOUNT + " (Viewer)"),
          e.getMessage());
    }
  }

  @Test
  void aServiceAccountThatIsNotAnEmailIsRejectedByTheConfig() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SheetsSourceConfig.forSpreadsheet("s1").withImpersonation("segments-batch", URI.create("https://x/")));
    assertTrue(e.getMessage().startsWith("sheets impersonate_service_account must be a service account's e-mail"),
        e.getMessage());
  }

  @Test
  void aKeyFileThatIsNotAServiceAccountKeyIsRejectedWithoutItsContent(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("user.json");
    Files.writeString(file, "{\"type\": \"authorized_user\", \"client_secret\": \"s3cr3t\"}");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SheetsCredentials.load(SheetsSourceConfig.forSpreadsheet("s1").withCredentialsFile(file)));

    assertTrue(e.getMessage().contains("is not a readable service-account key file"), e.getMessage());
    assertTrue(!e.getMessage().contains("s3cr3t"), e.getMessage());
  }

  @Test
  void aMissingKeyFileIsNamed(@TempDir Path dir) {
    Path file = dir.resolve("absent.json");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SheetsCredentials.load(SheetsSourceConfig.forSpreadsheet("s1").withCredentialsFile(file)));

    assertEquals("sheets credentials_file " + file + " does not exist", e.getMessage());
  }
}
