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
  --subnet NAME            DATAPROC_SUBNET     subnet the batches run in (default); Private Google Access is
                                               turned on for it
  --batch-account NAME     BATCH_ACCOUNT       the batch's service account (segments-batch)
  --deploy-account NAME    DEPLOY_ACCOUNT      the workflow's service account (segments-deployer)
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
subnet="${DATAPROC_SUBNET:-default}"
batch_name="${BATCH_ACCOUNT:-segments-batch}"
deploy_name="${DEPLOY_ACCOUNT:-segments-deployer}"
pool="${WIF_POOL:-github}"
provider="${WIF_PROVIDER:-github-actions}"
spreadsheet_id="${SPREADSHEET_ID:-}"

while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --project | --region | --bucket | --repository | --dataset | --location | --subnet | --batch-account \
      | --deploy-account | --pool | --provider | --spreadsheet-id)
      (($# >= 2)) || fail_usage "$1 needs a value"
      case "$1" in
        --project) project="$2" ;;
        --region) region="$2" ;;
        --bucket) bucket="$2" ;;
        --repository) repository="$2" ;;
        --dataset) dataset="$2" ;;
        --location) location="$2" ;;
        --subnet) subnet="$2" ;;
        --batch-account) batch_name="$2" ;;
        --deploy-account) deploy_name="$2" ;;
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

step "APIs"
run gcloud services enable --project="$project" dataproc.googleapis.com bigquery.googleapis.com \
  bigquerystorage.googleapis.com storage.googleapis.com sheets.googleapis.com iam.googleapis.com \
  iamcredentials.googleapis.com sts.googleapis.com compute.googleapis.com

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

step "Dataset $dataset in $location, then its roles (a dataset's roles can only be granted once it exists)"
if ! exists bq --project_id="$project" show --dataset "$project:$dataset"; then
  run bq --project_id="$project" mk --dataset --location="$location" \
    --description="Customer segments, written by the nightly batch" "$project:$dataset"
fi
run bq --project_id="$project" --location="$location" query --use_legacy_sql=false --quiet \
  "GRANT \`roles/bigquery.dataEditor\` ON SCHEMA \`$project.$dataset\` TO \"serviceAccount:$batch_account\""
run bq --project_id="$project" --location="$location" query --use_legacy_sql=false --quiet \
  "GRANT \`roles/bigquery.dataViewer\` ON SCHEMA \`$project.$dataset\` TO \"serviceAccount:$deploy_account\""

step "Private Google Access on subnet $subnet (Dataproc Serverless has no external IPs)"
run gcloud compute networks subnets update "$subnet" --project="$project" --region="$region" \
  --enable-private-ip-google-access

step "Workload Identity Federation for GitHub Actions of $repository only"
if [[ "$dry_run" == 1 ]]; then
  project_number=PROJECT_NUMBER
else
  project_number="$(gcloud projects describe "$project" --format='value(projectNumber)')"
fi
if ! exists gcloud iam workload-identity-pools describe "$pool" --project="$project" --location=global; then
  run gcloud iam workload-identity-pools create "$pool" --project="$project" --location=global \
    --display-name="GitHub Actions"
fi
if ! exists gcloud iam workload-identity-pools providers describe "$provider" --project="$project" \
  --location=global --workload-identity-pool="$pool"; then
  run gcloud iam workload-identity-pools providers create-oidc "$provider" --project="$project" --location=global \
    --workload-identity-pool="$pool" --display-name="GitHub Actions ($repository)" \
    --issuer-uri=https://token.actions.githubusercontent.com \
    --attribute-mapping=google.subject=assertion.sub,attribute.repository=assertion.repository \
    --attribute-condition="assertion.repository == '$repository'"
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

Share the spreadsheet with $batch_account (Viewer), then run the preflight check (README, "Deploy").
VARIABLES
