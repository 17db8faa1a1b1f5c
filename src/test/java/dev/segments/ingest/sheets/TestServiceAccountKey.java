package dev.segments.ingest.sheets;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Writes a service-account key file with a fresh RSA key whose token endpoint is the fake API. */
final class TestServiceAccountKey {
  private TestServiceAccountKey() {}

  static final String EMAIL = "segments-reader@test-project.iam.gserviceaccount.com";

  static Path write(Path dir, URI tokenUrl) throws IOException, NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String pem = "-----BEGIN PRIVATE KEY-----\\n"
        + Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
        + "\\n-----END PRIVATE KEY-----\\n";
    Path key = dir.resolve("key.json");
    Files.writeString(key, """
        {
          "type": "service_account",
          "project_id": "test-project",
          "private_key_id": "0123456789abcdef",
          "private_key": "%s",
          "client_email": "%s",
          "client_id": "100000000000000000001",
          "token_uri": "%s"
        }
        """.formatted(pem, EMAIL, tokenUrl));
    return key;
  }
}
