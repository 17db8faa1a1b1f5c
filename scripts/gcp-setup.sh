#!/usr/bin/env bash
# One-time Google Cloud set-up for the nightly segmentation, as gcloud and bq commands. Safe to run again: what
# exists is kept (each resource is looked up before it is created; role bindings are added, never replaced).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/gcp-setup.sh [flags]     (every flag can also be given as the environment variable shown)

Required:
  --project ID             GCP_PROJECT         Google Cloud project for the batch, the bucket and the dataset
  --region REGION          DATAPROC_REGION     Dataproc and bucket region, e.g. europe-west2
  --bucket NAME            GCS_BUCKET          staging bucket (jar, config, the connector's temporary files)
  --repository OWNER/NAME  GITHUB_REPOSITORY   the only GitHub repository allowed to deploy
Optional:
  --dataset NAME           BIGQUERY_DATASET    (customer_segments)
  --location LOCATION      BIGQUERY_LOCATION   the dataset's location (default: the region, as
                                               bigquery.location in dataproc/production.yaml; keep the two
                                               equal): BigQuery loads only from a bucket in its location
  --network NAME           DATAPROC_NETWORK    VPC network of that subnet (default)
  --subnet NAME            DATAPROC_SUBNET     subnet the batches run in (default), in --region on --network;
                                               Private Google Access is turned on for it and a firewall rule
                                               lets its VMs reach each other on every port
  --alert-topic NAME       ALERT_TOPIC         Pub/Sub topic told when no night is published by 22:55 London
                                               (segments-night-missing); subscribe the people to alert to it
  --batch-account NAME     BATCH_ACCOUNT       the batch's service account (segments-batch)
  --deploy-account NAME    DEPLOY_ACCOUNT      the workflow's service account (segments-deployer)
  --branch NAME            DEPLOY_BRANCH       the repository's default branch, the only one that may deploy (main)
  --pool NAME              WIF_POOL            Workload Identity pool (github)
  --provider NAME          WIF_PROVIDER        its OIDC provider for GitHub Actions (github-actions)
  --spreadsheet-id ID      SPREADSHEET_ID      printed among the repository variables
  -h, --help

DRY_RUN=1 prints every command, as for a project that has none of it yet, and runs nothing.
Needs: gcloud and bq, signed in as someone who may create service accounts, buckets, datasets and grant roles.
Exit status: 0 done, 1 a command failed, 2 bad input.
USAGE
}

fail_usage() {
  echo "gcp-setup.sh: $1" >&2
  usage >&2
  exit 2
}

project="${GCP_PROJECT:-}"
region="${DATAPROC_REGION:-}"
bucket="${GCS_BUCKET:-}"
repository="${GITHUB_REPOSITORY:-}"
dataset="${BIGQUERY_DATASET:-customer_segments}"
location="${BIGQUERY_LOCATION:-}"
network="${DATAPROC_NETWORK:-default}"
subnet="${DATAPROC_SUBNET:-default}"
alert_topic="${ALERT_TOPIC:-segments-night-missing}"
batch_name="${BATCH_ACCOUNT:-segments-batch}"
deploy_name="${DEPLOY_ACCOUNT:-segments-deployer}"
branch="${DEPLOY_BRANCH:-main}"
pool="${WIF_POOL:-github}"
provider="${WIF_PROVIDER:-github-actions}"
spreadsheet_id="${SPREADSHEET_ID:-}"

while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --project | --region | --bucket | --repository | --dataset | --location | --network | --subnet \
      | --alert-topic | --batch-account | --deploy-account | --branch | --pool | --provider | --spreadsheet-id)
      (($# >= 2)) || fail_usage "$1 needs a value"
      case "$1" in
        --project) project="$2" ;;
        --region) region="$2" ;;
        --bucket) bucket="$2" ;;
        --repository) repository="$2" ;;
        --dataset) dataset="$2" ;;
        --location) location="$2" ;;
        --network) network="$2" ;;
        --subnet) subnet="$2" ;;
        --alert-topic) alert_topic="$2" ;;
        --batch-account) batch_name="$2" ;;
        --deploy-account) deploy_name="$2" ;;
        --branch) branch="$2" ;;
        --pool) pool="$2" ;;
        --provider) provider="$2" ;;
        --spreadsheet-id) spreadsheet_id="$2" ;;
      esac
      shift 2 ;;
    *) fail_usage "unknown argument $1" ;;
  esac
done

missing=()
[[ -n "$project" ]] || missing+=("--project/GCP_PROJECT")
[[ -n "$region" ]] || missing+=("--region/DATAPROC_REGION")
[[ -n "$bucket" ]] || missing+=("--bucket/GCS_BUCKET")
[[ -n "$repository" ]] || missing+=("--repository/GITHUB_REPOSITORY")
((${#missing[@]} == 0)) || fail_usage "missing required input: ${missing[*]}"
[[ "$project" =~ ^[a-z][a-z0-9-]{4,28}[a-z0-9]$ ]] || fail_usage "--project must be a project id, got '$project'"
[[ "$region" =~ ^[a-z]+-[a-z]+[0-9]+$ ]] || fail_usage "--region must be a region such as europe-west2, got '$region'"
[[ "$bucket" =~ ^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$ ]] || fail_usage "--bucket must be a bucket name without gs://, got '$bucket'"
[[ "$repository" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || fail_usage "--repository must be OWNER/NAME, got '$repository'"
[[ "$dataset" =~ ^[A-Za-z0-9_]{1,1024}$ ]] || fail_usage "--dataset must be letters, digits and _, got '$dataset'"
[[ "$branch" =~ ^[A-Za-z0-9._/-]+$ ]] || fail_usage "--branch must be a branch name, got '$branch'"
[[ "$network" =~ ^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$ ]] || fail_usage "--network must be a network name, got '$network'"
[[ "$subnet" =~ ^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$ ]] || fail_usage "--subnet must be a subnet name, got '$subnet'"
[[ "$alert_topic" =~ ^[A-Za-z][A-Za-z0-9._~+%-]{2,254}$ ]] || fail_usage "--alert-topic must be a topic name, got '$alert_topic'"
location="${location:-$region}"

batch_account="$batch_name@$project.iam.gserviceaccount.com"
deploy_account="$deploy_name@$project.iam.gserviceaccount.com"
dry_run="${DRY_RUN:-0}"

# Runs a command, or prints it under DRY_RUN=1.
run() {
  if [[ "$dry_run" == 1 ]]; then
    printf '+'
    printf ' %q' "$@"
    printf '\n'
  else
    "$@"
  fi
}

# True when the resource a describe command names exists; under DRY_RUN=1 nothing exists.
exists() {
  [[ "$dry_run" != 1 ]] && "$@" >/dev/null 2>&1
}

step() {
  echo "== $*" >&2
}

# True when a transfer config with this display name exists in the dataset's location; under DRY_RUN=1 none does.
bq_lists_transfer() {
  [[ "$dry_run" != 1 ]] && bq --project_id="$project" ls --transfer_config --transfer_location="$location" \
    --format=prettyjson 2>/dev/null | grep -q "\"displayName\": \"$1\""
}

step "APIs"
run gcloud services enable --project="$project" dataproc.googleapis.com bigquery.googleapis.com \
  bigquerystorage.googleapis.com storage.googleapis.com sheets.googleapis.com iam.googleapis.com \
  iamcredentials.googleapis.com sts.googleapis.com compute.googleapis.com bigquerydatatransfer.googleapis.com \
  pubsub.googleapis.com

step "Service accounts"
for name in "$batch_name" "$deploy_name"; do
  if ! exists gcloud iam service-accounts describe "$name@$project.iam.gserviceaccount.com" --project="$project"; then
    run gcloud iam service-accounts create "$name" --project="$project" \
      --display-name="customer segments: ${name}"
  fi
done

step "The batch's account: Dataproc worker, BigQuery jobs and read sessions, mints its own Sheets token"
for role in roles/dataproc.worker roles/bigquery.jobUser roles/bigquery.readSessionUser; do
  run gcloud projects add-iam-policy-binding "$project" --member="serviceAccount:$batch_account" --role="$role" \
    --condition=None --quiet
done
# The metadata server's token has only the cloud-platform scope; the batch mints a Sheets-scoped token for
# itself through the IAM Credentials API (sheets.impersonate_service_account).
run gcloud iam service-accounts add-iam-policy-binding "$batch_account" --project="$project" \
  --member="serviceAccount:$batch_account" --role=roles/iam.serviceAccountTokenCreator --quiet

step "The deployer's account: submits, watches and cancels batches that run as the batch's account"
for role in roles/dataproc.editor roles/bigquery.jobUser; do
  run gcloud projects add-iam-policy-binding "$project" --member="serviceAccount:$deploy_account" --role="$role" \
    --condition=None --quiet
done
# serviceAccountUser: run a batch as the batch's account; serviceAccountTokenCreator: preflight reads the
# spreadsheet with the batch's own Sheets token.
for role in roles/iam.serviceAccountUser roles/iam.serviceAccountTokenCreator; do
  run gcloud iam service-accounts add-iam-policy-binding "$batch_account" --project="$project" \
    --member="serviceAccount:$deploy_account" --role="$role" --quiet
done

step "Staging bucket in $region"
if ! exists gcloud storage buckets describe "gs://$bucket" --project="$project"; then
  run gcloud storage buckets create "gs://$bucket" --project="$project" --location="$region" \
    --uniform-bucket-level-access --public-access-prevention
fi
for account in "$batch_account" "$deploy_account"; do
  run gcloud storage buckets add-iam-policy-binding "gs://$bucket" --member="serviceAccount:$account" \
    --role=roles/storage.objectAdmin --quiet
done
# objectAdmin holds no bucket permission: legacyBucketReader adds storage.buckets.get (the bucket's metadata, read
# by the Cloud Storage connector and by preflight's same-location check).
for account in "$batch_account" "$deploy_account"; do
  run gcloud storage buckets add-iam-policy-binding "gs://$bucket" --member="serviceAccount:$account" \
    --role=roles/storage.legacyBucketReader --quiet
done
# What a night leaves behind expires (Object Lifecycle Management, https://cloud.google.com/storage/docs/lifecycle):
# each run's config under runs/ after 30 days; the connector's Parquet staging folders (.spark-bigquery-*, deleted
# by the connector after a good load) after 3 days; a jar under jars/ 30 days after the last night that used it
# (the nightly sets its custom time each night: daysSinceCustomTime counts from then).
lifecycle="$(mktemp)"
trap 'rm -f "$lifecycle"' EXIT
cat >"$lifecycle" <<'LIFECYCLE'
{"rule": [
  {"action": {"type": "Delete"}, "condition": {"age": 30, "matchesPrefix": ["runs/"]}},
  {"action": {"type": "Delete"}, "condition": {"age": 3, "matchesPrefix": [".spark-bigquery-"]}},
  {"action": {"type": "Delete"}, "condition": {"daysSinceCustomTime": 30, "matchesPrefix": ["jars/"]}}
]}
LIFECYCLE
[[ "$dry_run" != 1 ]] || sed 's/^/# /' "$lifecycle"
run gcloud storage buckets update "gs://$bucket" --project="$project" --lifecycle-file="$lifecycle"

step "Dataset $dataset in $location, then its roles (a dataset's roles can only be granted once it exists)"
if ! exists bq --project_id="$project" show --dataset "$project:$dataset"; then
  run bq --project_id="$project" mk --dataset --location="$location" \
    --description="Customer segments, written by the nightly batch" "$project:$dataset"
fi
run bq --project_id="$project" --location="$location" query --use_legacy_sql=false --quiet \
  "GRANT \`roles/bigquery.dataEditor\` ON SCHEMA \`$project.$dataset\` TO \"serviceAccount:$batch_account\""
run bq --project_id="$project" --location="$location" query --use_legacy_sql=false --quiet \
  "GRANT \`roles/bigquery.dataViewer\` ON SCHEMA \`$project.$dataset\` TO \"serviceAccount:$deploy_account\""

# Dataproc Serverless runs its driver and executors on VMs without external IPs in this subnet: they reach Google
# APIs through Private Google Access, and each other on every port, which needs an ingress rule from the subnet's
# own range on its network (only the default network's default-allow-internal has one): "Serverless for Apache
# Spark network configuration", https://cloud.google.com/dataproc-serverless/docs/concepts/network, and "Dataproc
# cluster network configuration", https://cloud.google.com/dataproc/docs/concepts/network (tcp, udp, icmp).
# The alert that does not depend on GitHub: a BigQuery scheduled query that raises an error when model_runs has no
# row for today's London date at 22:55 London, five minutes before the dashboards refresh. A failed run is
# published to the Pub/Sub topic (run notifications, https://cloud.google.com/bigquery/docs/transfer-run-notifications;
# its failure e-mail would go only to the config's owner, and not at all when it runs as a service account).
# Schedules are in UTC (TransferConfig.schedule, https://cloud.google.com/bigquery/docs/reference/datatransfer/rest/v1/projects.locations.transferConfigs);
# it runs at 21:55 and 22:55 UTC (App Engine cron syntax, "every N hours from HH:MM to HH:MM",
# https://cloud.google.com/appengine/docs/standard/scheduling-jobs-with-cron-yaml) and only the run that falls at
# 22:xx London checks: 21:55 UTC in summer time, 22:55 UTC in winter.
step "Alert: no night published by 22:55 London -> Pub/Sub topic $alert_topic"
if ! exists gcloud pubsub topics describe "$alert_topic" --project="$project"; then
  run gcloud pubsub topics create "$alert_topic" --project="$project"
fi
alert_name="segments-night-missing"
alert_sql="SELECT IF(EXTRACT(HOUR FROM CURRENT_DATETIME('Europe/London')) != 22 OR EXISTS (SELECT 1 FROM \`$project.$dataset.model_runs\` WHERE run_date = CURRENT_DATE('Europe/London')), 'checked', ERROR(FORMAT('no night published for %t in $project.$dataset.model_runs by 22:55 Europe/London: see the nightly workflow', CURRENT_DATE('Europe/London'))))"
# The query holds no double quote or backslash, so it goes into the JSON as it is.
alert_params="{\"query\":\"$alert_sql\"}"
if ! bq_lists_transfer "$alert_name"; then
  run bq --project_id="$project" --location="$location" mk --transfer_config --data_source=scheduled_query \
    --display_name="$alert_name" --schedule="every 1 hours from 21:55 to 22:55" \
    --service_account_name="$batch_account" \
    --notification_pubsub_topic="projects/$project/topics/$alert_topic" --params="$alert_params"
fi

step "Network: subnet $subnet of network $network in $region"
network_problem=""
if [[ "$dry_run" == 1 ]]; then
  subnet_range=SUBNET_RANGE
  subnet_network="$network"
elif subnet_facts="$(gcloud compute networks subnets describe "$subnet" --project="$project" --region="$region" \
  --format='value(ipCidrRange,network.basename())' 2>&1)"; then
  read -r subnet_range subnet_network <<<"$subnet_facts"
else
  network_problem="subnet $subnet does not exist in $region ($subnet_facts): create it on network $network"
  network_problem+=" (gcloud compute networks subnets create $subnet --network=$network --region=$region --range=...)"
  network_problem+=" or name an existing one with --subnet and --network, then run this script again"
fi
if [[ -z "$network_problem" && "$subnet_network" != "$network" ]]; then
  network_problem="subnet $subnet is on network $subnet_network, not $network: give --network $subnet_network"
fi
if [[ -z "$network_problem" ]]; then
  run gcloud compute networks subnets update "$subnet" --project="$project" --region="$region" \
    --enable-private-ip-google-access
  # Firewall rule names are at most 63 characters and end in a letter or digit.
  firewall_rule="segments-internal-$subnet"
  firewall_rule="${firewall_rule:0:63}"
  while [[ "$firewall_rule" == *- ]]; do firewall_rule="${firewall_rule%-}"; done
  if ! exists gcloud compute firewall-rules describe "$firewall_rule" --project="$project"; then
    run gcloud compute firewall-rules create "$firewall_rule" --project="$project" --network="$network" \
      --direction=INGRESS --action=ALLOW --rules=all --source-ranges="$subnet_range" \
      --description="Dataproc Serverless: VMs in subnet $subnet reach each other on every port"
  fi
else
  # Reported at the end, after the steps that do not need the subnet (Workload Identity below).
  echo "gcp-setup.sh: skipping the network step: $network_problem" >&2
fi

step "Workload Identity Federation for GitHub Actions of $repository, branch $branch only"
if [[ "$dry_run" == 1 ]]; then
  project_number=PROJECT_NUMBER
else
  project_number="$(gcloud projects describe "$project" --format='value(projectNumber)')"
fi
if ! exists gcloud iam workload-identity-pools describe "$pool" --project="$project" --location=global; then
  run gcloud iam workload-identity-pools create "$pool" --project="$project" --location=global \
    --display-name="GitHub Actions"
fi
# Only this repository's default branch may mint the deployer's token: the scheduled runs and a workflow_dispatch
# run on that branch carry ref refs/heads/<branch> in GitHub's OIDC token ("OpenID Connect reference", token
# claims, https://docs.github.com/en/actions/reference/security/oidc); a run from any other branch, tag or pull
# request is refused by the condition ("Configure Workload Identity Federation with deployment pipelines",
# attribute conditions, https://cloud.google.com/iam/docs/workload-identity-federation-with-deployment-pipelines).
# A provider created by an earlier run gets the condition too.
wif_condition="assertion.repository == '$repository' && assertion.ref == 'refs/heads/$branch'"
wif_mapping="google.subject=assertion.sub,attribute.repository=assertion.repository,attribute.ref=assertion.ref"
wif_flags=(--project="$project" --location=global --workload-identity-pool="$pool"
  --attribute-mapping="$wif_mapping" --attribute-condition="$wif_condition")
if ! exists gcloud iam workload-identity-pools providers describe "$provider" --project="$project" \
  --location=global --workload-identity-pool="$pool"; then
  run gcloud iam workload-identity-pools providers create-oidc "$provider" "${wif_flags[@]}" \
    --display-name="GitHub Actions ($repository)" --issuer-uri=https://token.actions.githubusercontent.com
else
  run gcloud iam workload-identity-pools providers update-oidc "$provider" "${wif_flags[@]}"
fi
pool_name="projects/$project_number/locations/global/workloadIdentityPools/$pool"
run gcloud iam service-accounts add-iam-policy-binding "$deploy_account" --project="$project" \
  --member="principalSet://iam.googleapis.com/$pool_name/attribute.repository/$repository" \
  --role=roles/iam.workloadIdentityUser --quiet

cat <<VARIABLES

Set these repository variables (Settings > Secrets and variables > Actions > Variables), or with the GitHub CLI:
gh variable set GCP_PROJECT --repo $repository --body $project
gh variable set DATAPROC_REGION --repo $repository --body $region
gh variable set DATAPROC_SUBNET --repo $repository --body $subnet
gh variable set DATAPROC_SERVICE_ACCOUNT --repo $repository --body $batch_account
gh variable set GCS_BUCKET --repo $repository --body $bucket
gh variable set BIGQUERY_DATASET --repo $repository --body $dataset
gh variable set GCP_WORKLOAD_IDENTITY_PROVIDER --repo $repository --body $pool_name/providers/$provider
gh variable set GCP_DEPLOY_SERVICE_ACCOUNT --repo $repository --body $deploy_account
gh variable set SPREADSHEET_ID --repo $repository --body ${spreadsheet_id:-<the id between /d/ and /edit>}
gh variable set ALERT_MENTIONS --repo $repository --body "<@people and @org/teams the freshness check alerts>"

Subscribe whoever must hear of a missing night to the Pub/Sub topic $alert_topic (README, "Deploy").

Share the spreadsheet with $batch_account (Viewer), then run the preflight check (README, "Deploy").
VARIABLES

if [[ -n "$network_problem" ]]; then
  echo "gcp-setup.sh: not done: $network_problem" >&2
  exit 1
fi
