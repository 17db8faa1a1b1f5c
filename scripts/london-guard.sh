#!/usr/bin/env bash
# Decides whether a scheduled nightly run is the one meant for 22:00 Europe/London.
#
# GitHub's cron is evaluated in UTC, so the nightly fires at 21:00 UTC (22:00 in BST) and at 22:00 UTC
# (22:00 in GMT); on any date exactly one of the two lands at 22:00 in London. Scheduled runs can start
# late, so with --cron the decision is made for the instant the cron fired (the latest matching UTC time
# at or before TIMESTAMP), not for the instant the job happened to start.
#
# Prints `run=true|false` and `as_of=YYYY-MM-DD` (the London date of that instant) for $GITHUB_OUTPUT,
# and the reason on stderr. Exit status: 0 = run (22:00 hour in London), 1 = skip, 2 = usage error.
set -euo pipefail

readonly LONDON_HOUR="22"

usage() {
  cat <<'USAGE'
Usage: london-guard.sh [--cron 'MIN HOUR * * *'] [TIMESTAMP]

  TIMESTAMP   instant to judge, ISO 8601 in UTC (e.g. 2026-03-29T21:00:00Z); default: now
  --cron      the UTC cron line that fired (GitHub's github.event.schedule); the firing instant is
              reconstructed from it, so a run that starts late is judged by when it was due

Prints run=true|false and as_of=<London date of that instant> on stdout, the reason on stderr.
Exits 0 when the (firing) instant is in the 22:00 hour in Europe/London, 1 when it is not, 2 on bad input.
USAGE
}

cron=""
timestamp=""
while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --cron)
      (($# >= 2)) || { echo "london-guard: --cron needs a value" >&2; usage >&2; exit 2; }
      cron="$2"; shift 2 ;;
    -*) echo "london-guard: unknown option $1" >&2; usage >&2; exit 2 ;;
    *)
      [[ -z "$timestamp" ]] || { echo "london-guard: more than one TIMESTAMP" >&2; usage >&2; exit 2; }
      timestamp="$1"; shift ;;
  esac
done

if [[ -n "$timestamp" ]]; then
  if ! now_epoch=$(date -u -d "$timestamp" +%s 2>/dev/null); then
    echo "london-guard: TIMESTAMP '$timestamp' is not a date (expected e.g. 2026-03-29T21:00:00Z)" >&2
    exit 2
  fi
else
  now_epoch=$(date -u +%s)
fi

due_epoch=$now_epoch
if [[ -n "$cron" ]]; then
  read -r minute hour rest <<<"$cron"
  if ! [[ "$minute" =~ ^[0-9]{1,2}$ && "$hour" =~ ^[0-9]{1,2}$ ]] || ((10#$minute > 59 || 10#$hour > 23)) \
    || [[ -z "${rest:-}" ]]; then
    echo "london-guard: --cron '$cron' must be a daily cron line with a fixed minute and hour" >&2
    exit 2
  fi
  day=$(date -u -d "@$now_epoch" +%Y-%m-%d)
  due_epoch=$(date -u -d "$day $((10#$hour)):$((10#$minute)):00" +%s)
  if ((due_epoch > now_epoch)); then
    due_epoch=$((due_epoch - 86400))
  fi
fi

due_utc=$(date -u -d "@$due_epoch" +%Y-%m-%dT%H:%M:%SZ)
due_london=$(TZ=Europe/London date -d "@$due_epoch" '+%H:%M %Z')
echo "as_of=$(TZ=Europe/London date -d "@$due_epoch" +%Y-%m-%d)"
if [[ "${due_london:0:2}" == "$LONDON_HOUR" ]]; then
  echo "run=true"
  echo "london-guard: run, $due_utc is $due_london in London" >&2
  exit 0
fi
echo "run=false"
echo "london-guard: skip, $due_utc is $due_london in London, not the ${LONDON_HOUR}:00 hour" >&2
exit 1
