package dev.segments.ingest.sheets;

import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The Google credentials the Sheets source reads with: read-only access to spreadsheets, nothing more. */
public final class SheetsCredentials {
  private SheetsCredentials() {}

  public static final String READONLY_SCOPE = "https://www.googleapis.com/auth/spreadsheets.readonly";

  /**
   * Loads a service-account key file, or, when {@code keyFile} is null, the Application Default Credentials: the
   * file named by {@code GOOGLE_APPLICATION_CREDENTIALS} (a key, or a Workload Identity Federation configuration),
   * the gcloud user credentials, or the service account attached to the machine (Dataproc, GCE, GKE).
   *
   * @throws IllegalArgumentException when the key file is missing or is not a service-account key
   * @throws IllegalStateException when no Application Default Credentials are set up
   */
  public static GoogleCredentials load(Path keyFile) {
    return (keyFile == null ? applicationDefault() : serviceAccountKey(keyFile)).createScoped(List.of(READONLY_SCOPE));
  }

  private static GoogleCredentials serviceAccountKey(Path keyFile) {
    try (InputStream in = Files.newInputStream(keyFile)) {
      // Only service-account keys: a credential configuration of another type can make the library run commands
      // or call addresses it names, so such files are loaded through Application Default Credentials only.
      return ServiceAccountCredentials.fromStream(in);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("sheets credentials_file " + keyFile + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("sheets credentials_file " + keyFile + " is not a readable service-account "
          + "key file (JSON with \"type\": \"service_account\"): " + e.getMessage(), e);
    }
  }

  private static GoogleCredentials applicationDefault() {
    try {
      return GoogleCredentials.getApplicationDefault();
    } catch (IOException e) {
      throw new IllegalStateException("no Google credentials found: set sheets credentials_file to a "
          + "service-account key, or set up Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, "
          + "`gcloud auth application-default login`, or a service account attached to the machine)", e);
    }
  }

  /** The e-mail address of the account the credentials act as, when they say so without a secret in it. */
  static Optional<String> accountOf(GoogleCredentials credentials) {
    if (credentials instanceof ServiceAccountCredentials serviceAccount) {
      return Optional.ofNullable(serviceAccount.getClientEmail());
    }
    if (credentials instanceof ImpersonatedCredentials impersonated) {
      return Optional.ofNullable(impersonated.getAccount());
    }
    if (credentials instanceof ExternalAccountCredentials external) {
      return Optional.ofNullable(external.getServiceAccountEmail());
    }
    if (credentials instanceof ComputeEngineCredentials machine) {
      try {
        return Optional.ofNullable(machine.getAccount()); // asks the metadata server
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
