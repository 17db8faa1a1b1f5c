#!/usr/bin/env bash
# A Spark standalone cluster (one master, one worker) on 127.0.0.1, started from the Spark jars Maven already
# fetched: no Spark download. Submits the shaded jar with spark-submit semantics.
#
#   scripts/local-cluster.sh start               start master and worker, wait until the worker has registered
#   scripts/local-cluster.sh submit ARGS...      spark-submit target/customer-segments.jar with ARGS (e.g. run --output out-cluster)
#   scripts/local-cluster.sh status              whether master and worker run, and the master's view of workers and apps
#   scripts/local-cluster.sh stop                stop what `start` started (by pid)
#
# Environment: SPARK_MASTER_PORT (7077), SPARK_MASTER_WEBUI_PORT (8080), SPARK_WORKER_WEBUI_PORT (8081),
# WORKER_CORES (2), WORKER_MEMORY (2g), EXECUTOR_MEMORY (1g), SEGMENT_HEAP (driver heap, 2g), SEGMENT_JAVA_OPTS
# (extra driver JVM options, e.g. -Dspark.ui.enabled=false), CLUSTER_STATE (target/local-cluster: pids, logs, an
# empty SPARK_HOME, the worker's work folder with each executor's log).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${CLUSTER_STATE:-$root/target/local-cluster}"
# Absolute, as submit changes directory.
case "$state" in /*) ;; *) state="$PWD/$state" ;; esac
master_port="${SPARK_MASTER_PORT:-7077}"
master_ui_port="${SPARK_MASTER_WEBUI_PORT:-8080}"
worker_ui_port="${SPARK_WORKER_WEBUI_PORT:-8081}"
master_url="spark://127.0.0.1:$master_port"
jar="$root/target/customer-segments.jar"
classpath_file="$root/target/spark-classpath.txt"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Every JVM (master, worker, executors, driver) binds to loopback only, web UIs included.
export SPARK_LOCAL_IP=127.0.0.1

java_flags=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true
)

usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

ensure_build() {
  # `package` writes both the jar and Spark's class path (see pom.xml).
  if [ ! -f "$jar" ] || [ ! -f "$classpath_file" ] || [ "$root/pom.xml" -nt "$classpath_file" ]; then
    (cd "$root" && mvn -B -q -DskipTests package)
  fi
}

main_class() {
  case "$1" in
    master) echo org.apache.spark.deploy.master.Master ;;
    worker) echo org.apache.spark.deploy.worker.Worker ;;
  esac
}

# The kernel's start time of a process (empty where there is no /proc): with the pid, it names the process for good.
started_at() {
  if [ -r "/proc/$1/stat" ]; then sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f20; fi
}

# Whether the process `start` launched as NAME still runs. The pid file holds its pid and start time: a pid file
# left by a crash may name a pid the system has since given to an unrelated process, which must never be signalled.
running() {
  local pid recorded
  [ -f "$state/$1.pid" ] || return 1
  read -r pid recorded <"$state/$1.pid"
  kill -0 "$pid" 2>/dev/null && [ "$(started_at "$pid")" = "${recorded:-}" ]
}

pid_of() { cut -d' ' -f1 "$state/$1.pid"; }

launch() { # name args...
  local name=$1; shift
  if running "$name"; then echo "local-cluster: $name already running (pid $(pid_of "$name"))"; return; fi
  # The worker builds executor command lines from SPARK_HOME; an empty jars/ plus SPARK_DIST_CLASSPATH makes it
  # use the Maven class path instead of a Spark distribution.
  mkdir -p "$state/spark-home/jars" "$state/work"
  SPARK_HOME="$state/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_DIST_CLASSPATH="$(cat "$classpath_file")" \
    nohup "$java_bin" "${java_flags[@]}" -Xmx512m -cp "$(cat "$classpath_file")" \
    "$(main_class "$name")" "$@" >"$state/$name.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid $(started_at "$pid")" >"$state/$name.pid"
  echo "local-cluster: started $name (pid $pid, log $state/$name.log)"
}

# The master's JSON status page, fetched through bash's /dev/tcp so that no HTTP client needs to be installed.
master_json() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$master_ui_port"
    printf 'GET /json/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    local line
    while IFS= read -r line && [ "$line" != $'\r' ]; do :; done <&3
    cat <&3
  ) 2>/dev/null
}

wait_for_worker() {
  local deadline=$((SECONDS + 120))
  until master_json | grep -q '"aliveworkers" *: *[1-9]'; do
    if [ $SECONDS -ge $deadline ]; then
      echo "local-cluster: no worker registered within 120 s; see $state/*.log" >&2
      return 1
    fi
    running master || { echo "local-cluster: master died; see $state/master.log" >&2; return 1; }
    running worker || { echo "local-cluster: worker died; see $state/worker.log" >&2; return 1; }
    sleep 1
  done
  echo "local-cluster: master $master_url up with a worker (UI http://127.0.0.1:$master_ui_port)"
}

start() {
  ensure_build
  mkdir -p "$state"
  launch master --host 127.0.0.1 --port "$master_port" --webui-port "$master_ui_port"
  launch worker --host 127.0.0.1 --cores "${WORKER_CORES:-2}" --memory "${WORKER_MEMORY:-2g}" \
    --webui-port "$worker_ui_port" --work-dir "$state/work" "$master_url"
  wait_for_worker
}

submit() {
  ensure_build
  running master || { echo "local-cluster: not started; run: $0 start" >&2; return 1; }
  # Relative paths in the arguments and the config (data/sample, out) resolve against the project, as bin/segment.
  cd "$root"
  # shellcheck disable=SC2086 # SEGMENT_JAVA_OPTS holds several options
  "$java_bin" "${java_flags[@]}" -Xmx"${SEGMENT_HEAP:-2g}" -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
    ${SEGMENT_JAVA_OPTS:-} -cp "$(cat "$classpath_file")" org.apache.spark.deploy.SparkSubmit \
    --master "$master_url" --deploy-mode client \
    --conf spark.driver.host=127.0.0.1 \
    --conf "spark.executor.extraJavaOptions=${java_flags[*]} -Dlog4j2.configurationFile=\"$root/conf/log4j2.properties\"" \
    --conf spark.executor.memory="${EXECUTOR_MEMORY:-1g}" \
    --class dev.segments.cli.SegmentCli "$jar" "$@"
}

status() {
  local name down=0
  for name in master worker; do
    if running "$name"; then
      echo "$name: running (pid $(pid_of "$name"), log $state/$name.log)"
    else
      echo "$name: not running"
      down=1
    fi
  done
  if running master; then
    master_json || echo "master UI http://127.0.0.1:$master_ui_port does not answer"
    echo
  fi
  return "$down"
}

stop() {
  local name pid
  for name in worker master; do
    if running "$name"; then
      pid=$(pid_of "$name")
      kill "$pid"
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      if running "$name"; then kill -9 "$pid"; fi
      echo "local-cluster: stopped $name (pid $pid)"
    fi
    rm -f "$state/$name.pid"
  done
}

case "${1:-}" in
  start) start ;;
  submit) shift; submit "$@" ;;
  status) status ;;
  stop) stop ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
