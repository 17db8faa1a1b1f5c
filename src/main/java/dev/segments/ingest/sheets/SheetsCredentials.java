package dev.segments.ingest.sheets;

import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The Google credentials the Sheets source reads with: read-only access to spreadsheets, nothing more. */
public final class SheetsCredentials {
  private SheetsCredentials() {}

  public static final String READONLY_SCOPE = "https://www.googleapis.com/auth/spreadsheets.readonly";

  /** The scope the IAM Credentials API asks of the caller's own token. */
  static final String CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

  /** A minted token lives an hour, the IAM Credentials API's default; the library refreshes it before it ends. */
  private static final int TOKEN_LIFETIME_SECONDS = 3600;

  /**
   * The credentials the configured source reads with. The source credentials are the key file, or, when none is
   * configured, the Application Default Credentials: the file named by {@code GOOGLE_APPLICATION_CREDENTIALS} (a
   * key, or the Workload Identity Federation configuration that google-github-actions/auth writes), the gcloud user
   * credentials, or the service account attached to the machine (Dataproc, GCE, GKE).
   *
   * <p>With {@code impersonate_service_account} set, the source credentials mint a token of that service account
   * for the Sheets scope through the IAM Credentials API ({@code generateAccessToken}); this is the only way to get
   * a Sheets-scoped token on Dataproc Serverless, whose metadata server hands out cloud-platform tokens whatever
   * scope is asked and whose batches take no {@code --scopes}. Without it the source credentials are asked for the
   * Sheets scope themselves, which keys, gcloud user credentials and Workload Identity Federation honour.
   *
   * @throws IllegalArgumentException when the key file is missing or is not a service-account key
   * @throws IllegalStateException when no Application Default Credentials are set up
   */
  public static GoogleCredentials load(SheetsSourceConfig config) {
    GoogleCredentials source = config.credentialsFile() == null
        ? applicationDefault()
        : serviceAccountKey(config.credentialsFile());
    return config.impersonateServiceAccount() == null
        ? source.createScoped(List.of(READONLY_SCOPE))
        : impersonating(source, config.impersonateServiceAccount(), config.iamRootUrl());
  }

  /**
   * A Sheets-scoped token of {@code serviceAccount}, minted by {@code source} at
   * {@code <iamRoot>v1/projects/-/serviceAccounts/<serviceAccount>:generateAccessToken}. The library scopes the
   * source credentials to cloud-platform when they need a scope.
   */
  static GoogleCredentials impersonating(GoogleCredentials source, String serviceAccount, URI iamRoot) {
    return ImpersonatedCredentials.newBuilder()
        .setSourceCredentials(source)
        .setTargetPrincipal(serviceAccount)
        .setScopes(List.of(READONLY_SCOPE))
        .setLifetime(TOKEN_LIFETIME_SECONDS)
        .setIamEndpointOverride(generateAccessTokenUrl(iamRoot, serviceAccount))
        .build();
  }

  static String generateAccessTokenUrl(URI iamRoot, String serviceAccount) {
    return iamRoot.resolve("v1/projects/-/serviceAccounts/" + serviceAccount + ":generateAccessToken").toString();
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
