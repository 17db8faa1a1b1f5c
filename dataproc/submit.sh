#!/usr/bin/env bash
# Submits the segmentation job as a Dataproc Serverless batch, waits for it, and fails when it fails.
set -euo pipefail

readonly MAIN_CLASS="dev.segments.cli.SegmentCli"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR

usage() {
  cat <<'USAGE'
Usage: dataproc/submit.sh [flags]     (every flag can also be given as the environment variable shown)

Required:
  --project ID             GCP_PROJECT               Google Cloud project that runs the batch
  --region REGION          DATAPROC_REGION           e.g. europe-west2
  --service-account EMAIL  DATAPROC_SERVICE_ACCOUNT  identity the batch runs as
  --jar URI|FILE           JAR_URI                   the shaded application jar: a gs:// URI, or a local file
                                                     staged once under its content hash as
                                                     gs://BUCKET/jars/segments-<sha256>.jar
  --config URI|FILE        CONFIG_URI                the run's YAML config: a gs:// URI, or a local file staged
                                                     as gs://BUCKET/runs/<run id>/<file name>; the driver reads it
                                                     from there through Hadoop's FileSystem
  --run-id ID              RUN_ID                    lowercase letters, digits, - and _ (becomes a label)
Optional:
  --as-of YYYY-MM-DD       AS_OF                     run date; the job defaults to today in Europe/London
  --bucket NAME            GCS_BUCKET                bucket that local --jar and --config files are staged in
  --subnet SUBNET          DATAPROC_SUBNET           subnetwork with Private Google Access
  --staging-bucket NAME    STAGING_BUCKET            bucket for Dataproc's staging files
  --batch-env FILE         BATCH_ENV                 batch definition (default: batch.env beside this script)
  --timeout SECONDS        WAIT_TIMEOUT_SECONDS      give up waiting (and cancel the batch) after this (5400)
  --poll SECONDS           POLL_SECONDS              seconds between state checks (30)
  --describe-attempts N    DESCRIBE_ATTEMPTS         tries of each state check before giving up (5; waits of
                                                     2, 4, 8, 16 s between them)
  -h, --help

The batch reads the spreadsheet with a Sheets-scoped token of its own service account
(sheets.impersonate_service_account is set to --service-account).
Once the batch is submitted, the script cancels it whenever it stops before the batch ended: on its own
time-out, on SIGINT/SIGTERM (a cancelled or timed-out workflow) and on any error, such as state checks that
keep failing.

DRY_RUN=1 prints the gcloud commands instead of running them.
When GITHUB_OUTPUT is set, batch_id, console_url, logs_url and state are written to it.
Exit status: 0 when the batch SUCCEEDED, 1 when it FAILED, was CANCELLED or timed out, or the script was
stopped, 2 on bad input.
USAGE
}

fail_usage() {
  echo "submit.sh: $1" >&2
  usage >&2
  exit 2
}

project="${GCP_PROJECT:-}"
region="${DATAPROC_REGION:-}"
service_account="${DATAPROC_SERVICE_ACCOUNT:-}"
jar_uri="${JAR_URI:-}"
config_uri="${CONFIG_URI:-}"
bucket="${GCS_BUCKET:-}"
run_id="${RUN_ID:-}"
as_of="${AS_OF:-}"
subnet="${DATAPROC_SUBNET:-}"
staging_bucket="${STAGING_BUCKET:-}"
batch_env="${BATCH_ENV:-$SCRIPT_DIR/batch.env}"
wait_timeout="${WAIT_TIMEOUT_SECONDS:-5400}"
poll_seconds="${POLL_SECONDS:-30}"
describe_attempts="${DESCRIBE_ATTEMPTS:-5}"

while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --project | --region | --service-account | --jar | --config | --bucket | --run-id | --as-of | --subnet \
      | --staging-bucket | --batch-env | --timeout | --poll | --describe-attempts)
      (($# >= 2)) || fail_usage "$1 needs a value"
      case "$1" in
        --project) project="$2" ;;
        --region) region="$2" ;;
        --service-account) service_account="$2" ;;
        --jar) jar_uri="$2" ;;
        --config) config_uri="$2" ;;
        --bucket) bucket="$2" ;;
        --run-id) run_id="$2" ;;
        --as-of) as_of="$2" ;;
        --subnet) subnet="$2" ;;
        --staging-bucket) staging_bucket="$2" ;;
        --batch-env) batch_env="$2" ;;
        --timeout) wait_timeout="$2" ;;
        --poll) poll_seconds="$2" ;;
        --describe-attempts) describe_attempts="$2" ;;
      esac
      shift 2 ;;
    *) fail_usage "unknown argument $1" ;;
  esac
done

missing=()
[[ -n "$project" ]] || missing+=("--project/GCP_PROJECT")
[[ -n "$region" ]] || missing+=("--region/DATAPROC_REGION")
[[ -n "$service_account" ]] || missing+=("--service-account/DATAPROC_SERVICE_ACCOUNT")
[[ -n "$jar_uri" ]] || missing+=("--jar/JAR_URI")
[[ -n "$config_uri" ]] || missing+=("--config/CONFIG_URI")
[[ -n "$run_id" ]] || missing+=("--run-id/RUN_ID")
((${#missing[@]} == 0)) || fail_usage "missing required input: ${missing[*]}"

if [[ "$jar_uri" != gs://*.jar ]]; then
  [[ "$jar_uri" == *.jar && -f "$jar_uri" ]] || fail_usage "--jar must be a gs:// URI or a file of a .jar, got '$jar_uri'"
fi
if [[ "$config_uri" != gs://?*/?* ]]; then
  [[ -f "$config_uri" ]] || fail_usage "--config must be a gs:// URI or a file, got '$config_uri'"
fi
if [[ "$jar_uri" != gs://* || "$config_uri" != gs://* ]]; then
  [[ "$bucket" =~ ^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$ ]] \
    || fail_usage "--bucket/GCS_BUCKET must name the bucket that a local --jar or --config is staged in, got '$bucket'"
fi
# Label values and batch ids allow only lowercase letters, digits, '-' and '_'.
[[ "$run_id" =~ ^[a-z0-9][a-z0-9_-]{0,49}$ ]] \
  || fail_usage "--run-id must be 1-50 lowercase letters, digits, '-' or '_', got '$run_id'"
if [[ -n "$as_of" ]]; then
  if ! [[ "$as_of" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ && "$(date -u -d "$as_of" +%F 2>/dev/null)" == "$as_of" ]]; then
    fail_usage "--as-of must be a date YYYY-MM-DD, got '$as_of'"
  fi
fi
[[ "$wait_timeout" =~ ^[0-9]+$ ]] || fail_usage "--timeout must be whole seconds, got '$wait_timeout'"
[[ "$poll_seconds" =~ ^[0-9]+$ ]] || fail_usage "--poll must be whole seconds, got '$poll_seconds'"
[[ "$describe_attempts" =~ ^[1-9][0-9]*$ ]] \
  || fail_usage "--describe-attempts must be a whole number from 1, got '$describe_attempts'"
[[ -r "$batch_env" ]] || fail_usage "batch definition $batch_env is not readable"

# shellcheck source-path=SCRIPTDIR source=batch.env
source "$batch_env"
for property in "${SPARK_PROPERTIES[@]}"; do
  # gcloud splits --properties on commas.
  [[ "$property" == *=* && "$property" != *,* ]] || fail_usage "bad Spark property '$property' in $batch_env"
done

gcloud_cmd() {
  if [[ "${DRY_RUN:-0}" == 1 ]]; then
    printf '+ gcloud'
    printf ' %q' "$@"
    printf '\n'
  else
    gcloud "$@"
  fi
}

# A local jar is staged once per content: the nightly rebuilds the same 100 MB jar until the code changes. Each
# night sets the object's custom time, from which the bucket's lifecycle rule (scripts/gcp-setup.sh) counts the
# days a jar has gone unused.
now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
if [[ "$jar_uri" != gs://* ]]; then
  jar_file="$jar_uri"
  jar_uri="gs://$bucket/jars/segments-$(sha256sum "$jar_file" | cut -d ' ' -f 1).jar"
  if [[ "${DRY_RUN:-0}" != 1 ]] && gcloud storage objects describe "$jar_uri" --format='value(name)' >/dev/null 2>&1; then
    echo "Jar already staged: $jar_uri"
    gcloud_cmd storage objects update "$jar_uri" --custom-time="$now"
  else
    echo "Staging the jar: $jar_uri"
    gcloud_cmd storage cp "$jar_file" "$jar_uri" --custom-time="$now"
  fi
fi
if [[ "$config_uri" != gs://* ]]; then
  config_file="$config_uri"
  config_uri="gs://$bucket/runs/$run_id/${config_file##*/}"
  gcloud_cmd storage cp "$config_file" "$config_uri"
fi

batch_id="segments-${run_id//_/-}"
# The job records the runtime it ran on in model_runs (runtime_version).
properties="$(IFS=,; echo "${SPARK_PROPERTIES[*]}"),spark.segments.dataprocRuntime=$RUNTIME_VERSION"
labels="app=customer-segments,run_id=$run_id"
# The batch mints its Sheets token as its own service account: the metadata server's token has only the
# cloud-platform scope, which the Sheets API refuses.
job_args=(run --config "$config_uri" "${JOB_ARGS[@]}" --set "sheets.impersonate_service_account=$service_account")
if [[ -n "$as_of" ]]; then
  labels+=",as_of=$as_of"
  job_args+=(--as-of "$as_of")
fi

submit=(dataproc batches submit spark
  --project="$project" --region="$region" --batch="$batch_id"
  --version="$RUNTIME_VERSION" --ttl="$BATCH_TTL"
  --service-account="$service_account"
  --labels="$labels"
  --class="$MAIN_CLASS" --jars="$jar_uri"
  --properties="$properties"
  --async)
[[ -z "$subnet" ]] || submit+=(--subnet="$subnet")
[[ -z "$staging_bucket" ]] || submit+=(--staging-bucket="$staging_bucket")
submit+=(-- "${job_args[@]}")

console_url="https://console.cloud.google.com/dataproc/batches/$region/$batch_id/monitoring?project=$project"
logs_url="https://console.cloud.google.com/logs/query;query=resource.type%3D%22cloud_dataproc_batch%22%20resource.labels.batch_id%3D%22$batch_id%22?project=$project"

report() {
  [[ -z "${GITHUB_OUTPUT:-}" ]] || echo "$1=$2" >>"$GITHUB_OUTPUT"
}

# Set once the batch exists and until it has ended; the EXIT trap cancels it in between.
batch_live=0
cancel_batch() {
  ((batch_live)) || return 0
  batch_live=0
  echo "submit.sh: stopping before batch $batch_id ended; cancelling it" >&2
  if ! gcloud dataproc batches cancel "$batch_id" --project="$project" --region="$region" --quiet; then
    echo "submit.sh: could not cancel batch $batch_id; cancel it by hand: gcloud dataproc batches cancel" \
      "$batch_id --project=$project --region=$region" >&2
  fi
}
stopped_by() {
  echo "submit.sh: received SIG$1" >&2
  report state STOPPED
  exit 1
}
trap cancel_batch EXIT
trap 'stopped_by INT' INT
trap 'stopped_by TERM' TERM

echo "Submitting batch $batch_id (runtime $RUNTIME_VERSION) in $project/$region"
gcloud_cmd "${submit[@]}"
report batch_id "$batch_id"
report console_url "$console_url"
report logs_url "$logs_url"
echo "Batch console: $console_url"
echo "Batch logs:    $logs_url"

describe=(dataproc batches describe "$batch_id" --project="$project" --region="$region" --format=value\(state\))
if [[ "${DRY_RUN:-0}" == 1 ]]; then
  gcloud_cmd "${describe[@]}"
  report state DRY_RUN
  exit 0
fi
batch_live=1

# Waits in the background so that a signal is handled at once, not after the sleep.
pause() {
  sleep "$1" &
  wait "$!"
}

# Sets `state` to the batch's state; a failed check (a network blip, a 5xx, a quota hiccup) is tried again
# after 2, 4, 8, 16 s. Not run in a subshell, so that a signal during the waits is handled at once.
read_state() {
  local attempt=1 wait_seconds=2
  while :; do
    if state="$(gcloud "${describe[@]}")" && [[ -n "$state" ]]; then
      return 0
    fi
    if ((attempt >= describe_attempts)); then
      echo "submit.sh: could not read the state of batch $batch_id after $attempt attempts" >&2
      return 1
    fi
    echo "submit.sh: reading the state of batch $batch_id failed (attempt $attempt); trying again in ${wait_seconds}s" >&2
    pause "$wait_seconds"
    attempt=$((attempt + 1))
    wait_seconds=$((wait_seconds < 16 ? wait_seconds * 2 : 16))
  done
}

# Bounded wait: SECONDS is bash's clock since the script started.
deadline=$((SECONDS + wait_timeout))
while :; do
  if ! read_state; then
    report state UNKNOWN
    exit 1
  fi
  echo "$(date -u +%H:%M:%S) batch $batch_id is $state"
  case "$state" in
    SUCCEEDED)
      batch_live=0
      report state "$state"
      exit 0 ;;
    FAILED | CANCELLED)
      batch_live=0
      report state "$state"
      echo "submit.sh: batch $batch_id ended $state; driver logs: $logs_url" >&2
      exit 1 ;;
  esac
  if ((SECONDS >= deadline)); then
    echo "submit.sh: batch $batch_id still $state after ${wait_timeout}s" >&2
    report state TIMED_OUT
    exit 1
  fi
  pause "$poll_seconds"
done
