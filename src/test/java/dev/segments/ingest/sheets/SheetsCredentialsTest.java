package dev.segments.ingest.sheets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.GoogleCredentials;
import dev.segments.ingest.sheets.FakeSheetsApi.Answer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SheetsCredentialsTest {

  @Test
  void aKeyFileGetsAReadOnlyTokenAndIsNamedWhenTheSheetIsNotShared(@TempDir Path dir) throws Exception {
    try (FakeSheetsApi api = new FakeSheetsApi("sheet1")) {
      api.tab("products", List.of(GoogleSheetsSourceTest.row("Product_ID"), GoogleSheetsSourceTest.row("PR1")));
      GoogleCredentials credentials = SheetsCredentials.load(TestServiceAccountKey.write(dir, api.tokenUrl()));
      GoogleSheetsSource source = new GoogleSheetsSource(
          SheetsSourceConfig.forSpreadsheet("sheet1").withRootUrl(api.rootUrl()), credentials);

      RecordedSheets got = new RecordedSheets();
      source.fetch(List.of("products"), got);
      api.script(Answer.error(403, "PERMISSION_DENIED", "The caller does not have permission"));
      SheetsAccessException e = assertThrows(SheetsAccessException.class,
          () -> source.fetch(List.of("products"), new RecordedSheets()));

      assertEquals(1, got.rows.get("products").size());
      assertEquals("Bearer " + FakeSheetsApi.TOKEN, api.requests().get(0).authorization());
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

  @Test
  void aKeyFileThatIsNotAServiceAccountKeyIsRejectedWithoutItsContent(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("user.json");
    Files.writeString(file, "{\"type\": \"authorized_user\", \"client_secret\": \"s3cr3t\"}");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SheetsCredentials.load(file));

    assertTrue(e.getMessage().contains("is not a readable service-account key file"), e.getMessage());
    assertTrue(!e.getMessage().contains("s3cr3t"), e.getMessage());
  }

  @Test
  void aMissingKeyFileIsNamed(@TempDir Path dir) {
    Path file = dir.resolve("absent.json");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SheetsCredentials.load(file));

    assertEquals("sheets credentials_file " + file + " does not exist", e.getMessage());
  }
}
