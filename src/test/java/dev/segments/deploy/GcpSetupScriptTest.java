package dev.segments.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/gcp-setup.sh: the commands it runs, in an order that works, only once, and the variables it prints. */
class GcpSetupScriptTest {

  private static final String BATCH = "serviceAccount:segments-batch@acme-segments.iam.gserviceaccount.com";
  private static final String DEPLOYER = "serviceAccount:segments-deployer@acme-segments.iam.gserviceaccount.com";
  private static final Map<String, String> INPUTS = Map.of(
      "GCP_PROJECT", "acme-segments",
      "DATAPROC_REGION", "europe-west2",
      "GCS_BUCKET", "acme-segments-runs",
      "GITHUB_REPOSITORY", "acme/customer-segments");

  @TempDir Path temp;

  private static ScriptProcess setup(Map<String, String> environment, String... flags) {
    return ScriptProcess.bash("scripts/gcp-setup.sh", environment, flags);
  }

  private static List<String> commands(ScriptProcess result) {
    return result.stdout().lines().filter(line -> line.startsWith("+ ")).map(line -> line.substring(2)).toList();
  }

  private static int indexOf(List<String> commands, String... parts) {
    for (int i = 0; i < commands.size(); i++) {
      String command = commands.get(i);
      if (List.of(parts).stream().allMatch(command::contains)) {
        return i;
      }
    }
    throw new AssertionError("no command with " + List.of(parts) + " in:\n" + String.join("\n", commands));
  }

  @Test
  void dryRunPrintsEveryResourceAndBindingTheNightNeeds() {
    ScriptProcess result = setup(ScriptProcess.with(INPUTS, "DRY_RUN", "1", "SPREADSHEET_ID", "1AbC"));
    assertEquals(0, result.exitCode(), result.toString());
    List<String> commands = commands(result);

    indexOf(commands, "gcloud iam service-accounts create segments-batch ");
    indexOf(commands, "gcloud iam service-accounts create segments-deployer ");
    for (String role : List.of("roles/dataproc.worker", "roles/bigquery.jobUser", "roles/bigquery.readSessionUser")) {
      indexOf(commands, "gcloud projects add-iam-policy-binding acme-segments", "--member=" + BATCH, "--role=" + role);
    }
    // The batch mints its own Sheets-scoped token; the deployer runs batches as it and preflights with its token.
    indexOf(commands, "gcloud iam service-accounts add-iam-policy-binding segments-batch@", "--member=" + BATCH,
        "--role=roles/iam.serviceAccountTokenCreator");
    indexOf(commands, "add-iam-policy-binding segments-batch@", "--member=" + DEPLOYER, "--role=roles/iam.serviceAccountUser");
    indexOf(commands, "add-iam-policy-binding segments-batch@", "--member=" + DEPLOYER,
        "--role=roles/iam.serviceAccountTokenCreator");
    indexOf(commands, "gcloud projects add-iam-policy-binding", "--member=" + DEPLOYER, "--role=roles/dataproc.editor");
    int bucket = indexOf(commands, "gcloud storage buckets create gs://acme-segments-runs ", "--location=europe-west2",
        "--uniform-bucket-level-access");
    assertTrue(bucket < indexOf(commands, "buckets add-iam-policy-binding gs://acme-segments-runs", "--member=" + BATCH,
        "--role=roles/storage.objectAdmin"));
    // dataEditor on the dataset can only be granted once the dataset exists.
    int dataset = indexOf(commands, "bq --project_id=acme-segments mk --dataset --location=europe-west2 ",
        "acme-segments:customer_segments");
    int editor = indexOf(commands, "GRANT\\ \\`roles/bigquery.dataEditor\\`\\ ON\\ SCHEMA\\ "
        + "\\`acme-segments.customer_segments\\`\\ TO\\ \\\"" + BATCH + "\\\"");
    assertTrue(dataset < editor, commands.toString());
    indexOf(commands, "gcloud compute networks subnets update default", "--region=europe-west2",
        "--enable-private-ip-google-access");
    // Dataproc Serverless VMs reach each other on every port: an ingress rule from the subnet's own range
    // ("Serverless for Apache Spark network configuration").
    indexOf(commands, "gcloud compute firewall-rules create segments-internal-default ", "--network=default",
        "--direction=INGRESS", "--action=ALLOW", "--rules=all", "--source-ranges=SUBNET_RANGE");
    // Only the default branch of the one repository may mint the deployer's token.
    int pool = indexOf(commands, "gcloud iam workload-identity-pools create github ");
    int provider = indexOf(commands, "providers create-oidc github-actions", "--workload-identity-pool=github",
        "--issuer-uri=https://token.actions.githubusercontent.com", "attribute.ref=assertion.ref",
        "--attribute-condition=assertion.repository\\ ==\\ \\'acme/customer-segments\\'\\ \\&\\&\\ "
            + "assertion.ref\\ ==\\ \\'refs/heads/main\\'");
    int federation = indexOf(commands, "add-iam-policy-binding segments-deployer@", "--role=roles/iam.workloadIdentityUser",
        "--member=principalSet://iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/"
            + "github/attribute.repository/acme/customer-segments");
    assertTrue(pool < provider && provider < federation);
    // Old configs, staging files and unused jars expire; the alert query is created after the dataset it reads.
    int lifecycle = indexOf(commands, "gcloud storage buckets update gs://acme-segments-runs ", "--lifecycle-file=");
    assertTrue(bucket < lifecycle);
    for (String rule : List.of("{\"age\": 30, \"matchesPrefix\": [\"runs/\"]}",
        "{\"age\": 3, \"matchesPrefix\": [\".spark-bigquery-\"]}",
        "{\"daysSinceCustomTime\": 30, \"matchesPrefix\": [\"jars/\"]}")) {
      assertTrue(result.stdout().contains(rule), rule + " missing from:\n" + result.stdout());
    }
    indexOf(commands, "gcloud pubsub topics create segments-night-missing ");
    int alert = indexOf(commands, "bq --project_id=acme-segments --location=europe-west2 mk --transfer_config ",
        "--data_source=scheduled_query", "--display_name=segments-night-missing",
        "--schedule=every\\ 1\\ hours\\ from\\ 21:55\\ to\\ 22:55",
        "--notification_pubsub_topic=projects/acme-segments/topics/segments-night-missing",
        "\\`acme-segments.customer_segments.model_runs\\`\\ WHERE\\ run_date\\ =\\ CURRENT_DATE\\(\\'Europe/London\\'\\)",
        "ERROR\\(");
    assertTrue(dataset < alert, commands.toString());

    Map<String, String> variables = new LinkedHashMap<>();
    result.stdout().lines().filter(line -> line.startsWith("gh variable set ")).forEach(line -> {
      String[] words = line.split(" ", 8);
      assertEquals(List.of("--repo", "acme/customer-segments", "--body"), List.of(words[4], words[5], words[6]), line);
      variables.put(words[3], words[7]);
    });
    assertEquals(Map.of(
        "GCP_PROJECT", "acme-segments",
        "DATAPROC_REGION", "europe-west2",
        "DATAPROC_SUBNET", "default",
        "DATAPROC_SERVICE_ACCOUNT", "segments-batch@acme-segments.iam.gserviceaccount.com",
        "GCS_BUCKET", "acme-segments-runs",
        "BIGQUERY_DATASET", "customer_segments",
        "GCP_WORKLOAD_IDENTITY_PROVIDER",
        "projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/github/providers/github-actions",
        "GCP_DEPLOY_SERVICE_ACCOUNT", "segments-deployer@acme-segments.iam.gserviceaccount.com",
        "SPREADSHEET_ID", "1AbC",
        "ALERT_MENTIONS", "\"<@people and @org/teams the freshness check alerts>\""), variables);
  }

  /** Every variable the nightly and freshness workflows read is one the script prints. */
  @Test
  void theWorkflowsReadOnlyVariablesTheScriptPrints() throws IOException {
    ScriptProcess result = setup(ScriptProcess.with(INPUTS, "DRY_RUN", "1"));
    List<String> printed = result.stdout().lines().filter(line -> line.startsWith("gh variable set "))
        .map(line -> line.split(" ")[3]).toList();
    for (String workflow : List.of("nightly.yml", "freshness.yml")) {
      var read = java.util.regex.Pattern.compile("vars\\.([A-Z_]+)")
          .matcher(Files.readString(WorkflowFiles.FOLDER.resolve(workflow)));
      while (read.find()) {
        // BIGQUERY_PROJECT is optional: the workflows fall back to GCP_PROJECT.
        assertTrue(printed.contains(read.group(1)) || read.group(1).equals("BIGQUERY_PROJECT"),
            workflow + " reads vars." + read.group(1) + ", which gcp-setup.sh does not print");
      }
    }
  }

  @Test
  void missingInputsAreNamedAndNothingRuns() {
    ScriptProcess result = setup(Map.of("DRY_RUN", "1", "GCP_PROJECT", "acme-segments"));
    assertEquals(2, result.exitCode(), result.toString());
    for (String missing : List.of("--region/DATAPROC_REGION", "--bucket/GCS_BUCKET", "--repository/GITHUB_REPOSITORY")) {
      assertTrue(result.stderr().contains(missing), result.stderr());
    }
    assertEquals(List.of(), commands(result));
  }

  /**
   * A stand-in for gcloud and bq that logs each call; describe/show/ls find the resource when {@code exists} is
   * true. The subnet exists on the default network unless {@code FAKE_NO_SUBNET} is set.
   */
  private Map<String, String> fakeClouds(boolean exists) throws IOException {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    for (String tool : List.of("gcloud", "bq")) {
      Path fake = bin.resolve(tool);
      Files.writeString(fake, """
          #!/usr/bin/env bash
          printf '%%s %%s\\n' "%s" "$*" >> "$FAKE_LOG"
          case "$*" in
            "projects describe "*) echo 123456789012 ;;
            "compute networks subnets describe "*)
              if [[ -n "${FAKE_NO_SUBNET:-}" ]]; then
                echo "ERROR: (gcloud.compute.networks.subnets.describe) Could not fetch resource" >&2
                exit 1
              fi
              printf '10.154.0.0/20\\tdefault\\n' ;;
            *" describe "* | *" show "*) %s ;;
            *" ls --transfer_config "*) %s ;;
          esac
          exit 0
          """.formatted(tool, exists ? "exit 0" : "exit 1",
          exists ? "echo '  \"displayName\": \"segments-night-missing\",'" : "echo '[]'"));
      assertTrue(fake.toFile().setExecutable(true));
    }
    return ScriptProcess.with(INPUTS, "PATH", bin + ":" + System.getenv("PATH"), "FAKE_LOG", temp.resolve("log").toString());
  }

  @Test
  void aSecondRunCreatesNothingAndAddsTheBindingsAgain() throws IOException {
    ScriptProcess result = setup(fakeClouds(true));

    assertEquals(0, result.exitCode(), result.toString());
    List<String> calls = Files.readAllLines(temp.resolve("log"));
    assertFalse(calls.stream().anyMatch(c -> c.contains(" create ") || c.contains(" create-oidc ")
        || c.startsWith("bq ") && c.contains(" mk ")), String.join("\n", calls));
    assertTrue(calls.stream().anyMatch(c -> c.contains("--role=roles/iam.serviceAccountTokenCreator")));
    // An existing provider is brought to the branch condition.
    assertTrue(calls.stream().anyMatch(c -> c.startsWith("gcloud iam workload-identity-pools providers update-oidc ")
        && c.contains("assertion.ref == 'refs/heads/main'")), String.join("\n", calls));
    assertTrue(result.stdout().contains("--body projects/123456789012/locations/global/workloadIdentityPools/github/"
        + "providers/github-actions"), result.stdout());
  }

  @Test
  void aFirstRunCreatesWhatIsMissing() throws IOException {
    ScriptProcess result = setup(fakeClouds(false));

    assertEquals(0, result.exitCode(), result.toString());
    List<String> calls = Files.readAllLines(temp.resolve("log"));
    for (String created : List.of("gcloud iam service-accounts create segments-batch ",
        "gcloud storage buckets create gs://acme-segments-runs ", "bq --project_id=acme-segments mk --dataset ",
        "gcloud iam workload-identity-pools create github ", "gcloud iam workload-identity-pools providers create-oidc ",
        "gcloud compute firewall-rules create segments-internal-default ", "gcloud pubsub topics create ",
        "bq --project_id=acme-segments --location=europe-west2 mk --transfer_config ")) {
      assertTrue(calls.stream().anyMatch(c -> c.startsWith(created)), created + " not run:\n" + String.join("\n", calls));
    }
  }

  /** The firewall rule opens the subnet's own range, read from the subnet, to its VMs. */
  @Test
  void theFirewallRuleOpensTheSubnetsOwnRange() throws IOException {
    ScriptProcess result = setup(fakeClouds(false));

    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(Files.readAllLines(temp.resolve("log")).stream().anyMatch(c -> c.startsWith(
        "gcloud compute firewall-rules create segments-internal-default ") && c.contains("--source-ranges=10.154.0.0/20")
        && c.contains("--network=default")), String.join("\n", Files.readAllLines(temp.resolve("log"))));
  }

  /** Another network and subnet than the default ones: the rule and Private Google Access go there. */
  @Test
  void aSubnetOnAnotherNetworkGetsItsOwnRule() {
    ScriptProcess result = setup(ScriptProcess.with(INPUTS, "DRY_RUN", "1"), "--network", "segments-vpc", "--subnet",
        "segments-london");

    assertEquals(0, result.exitCode(), result.toString());
    List<String> commands = commands(result);
    indexOf(commands, "gcloud compute networks subnets update segments-london ", "--enable-private-ip-google-access");
    indexOf(commands, "gcloud compute firewall-rules create segments-internal-segments-london ",
        "--network=segments-vpc");
    assertTrue(result.stdout().contains("gh variable set DATAPROC_SUBNET --repo acme/customer-segments --body "
        + "segments-london"), result.stdout());
  }

  /** A missing subnet is reported, and the steps after it (Workload Identity) still run: the script fails at the end. */
  @Test
  void aMissingSubnetStopsOnlyTheNetworkStep() throws IOException {
    ScriptProcess result = setup(ScriptProcess.with(fakeClouds(false), "FAKE_NO_SUBNET", "1"));

    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("not done: subnet default does not exist in europe-west2"), result.stderr());
    List<String> calls = Files.readAllLines(temp.resolve("log"));
    assertFalse(calls.stream().anyMatch(c -> c.contains("firewall-rules create") || c.contains("subnets update")),
        String.join("\n", calls));
    assertTrue(calls.stream().anyMatch(c -> c.startsWith("gcloud iam workload-identity-pools providers create-oidc ")),
        String.join("\n", calls));
  }

  /**
   * The real gcloud, with no account, parses every flag before it stops for want of credentials: one command of
   * each kind the script runs, in parallel.
   */
  @Test
  void realGcloudAcceptsEveryKindOfCommand() throws Exception {
    assumeTrue(ScriptProcess.onPath("gcloud"), "gcloud is not installed");
    Map<String, String> kinds = new LinkedHashMap<>();
    for (String command : commands(setup(ScriptProcess.with(INPUTS, "DRY_RUN", "1")))) {
      if (command.startsWith("gcloud ")) {
        kinds.putIfAbsent(String.join(" ", List.of(command.split(" ")).subList(0, 4)), command);
      }
    }
    assertTrue(kinds.size() >= 8, kinds.keySet().toString());
    Map<String, String> noAccount = Map.of("CLOUDSDK_CONFIG", Files.createDirectories(temp.resolve("gcloud")).toString(),
        "CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
    List<String> refused = kinds.values().parallelStream().map(command -> {
      ScriptProcess parsed = ScriptProcess.run(List.of("bash", "-c", command), noAccount);
      // Exit 2 with a usage message is gcloud's answer to a bad flag; 1 with this message comes after parsing.
      return parsed.exitCode() == 1 && parsed.stderr().contains("You do not currently have an active account selected")
          ? null : command + "\n" + parsed;
    }).filter(java.util.Objects::nonNull).toList();
    assertEquals(List.of(), refused);
  }
}
