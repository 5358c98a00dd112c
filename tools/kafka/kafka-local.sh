#!/usr/bin/env bash
# A real single-node Apache Kafka (KRaft, broker+controller) for this machine, from Maven Central
# jars, without Docker. See docs/operations-kafka.md.
#
#   tools/kafka/kafka-local.sh fetch    jars into the cache outside the work tree (skipped when complete)
#   tools/kafka/kafka-local.sh start    start (or reuse) a broker, wait until it answers, print KAFKA_BROKERS=...
#   tools/kafka/kafka-local.sh status   does a broker answer on the port? (exit 0 yes, 1 no)
#   tools/kafka/kafka-local.sh stop     stop the broker this script started (SIGTERM, then SIGKILL)
#   tools/kafka/kafka-local.sh logs     tail of the broker log
#
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_BROKERS (use that cluster,
# start nothing), OPEN_TASKROUTER_CACHE (~/.cache/open-taskrouter), KAFKA_RUN_DIR (<repo>/.run/kafka),
# KAFKA_START_TIMEOUT seconds (90), KAFKA_STOP_TIMEOUT seconds (30), KAFKA_HEAP (512m).
set -euo pipefail

readonly KAFKA_VERSION=3.9.1
readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
readonly POM="$SCRIPT_DIR/pom.xml"
readonly PROBE="$SCRIPT_DIR/kafka-probe.js"

readonly CACHE_ROOT="${OPEN_TASKROUTER_CACHE:-$HOME/.cache/open-taskrouter}"
readonly KAFKA_CACHE="$CACHE_ROOT/kafka-$KAFKA_VERSION"
readonly LIBS="$KAFKA_CACHE/libs"
# Written last inside the temp dir, so a libs/ dir without it never existed as "complete".
readonly COMPLETE_MARKER="$LIBS/.complete"

readonly RUN_DIR="${KAFKA_RUN_DIR:-$REPO_ROOT/.run/kafka}"
readonly DATA_DIR="$RUN_DIR/data"
readonly PROPERTIES="$RUN_DIR/server.properties"
readonly LOG4J_PROPERTIES="$RUN_DIR/broker-log4j.properties"
readonly TOOLS_LOG4J_PROPERTIES="$RUN_DIR/tools-log4j.properties"
readonly PID_FILE="$RUN_DIR/kafka.pid"
readonly LOG_FILE="$RUN_DIR/server.log"
readonly LOCK_FILE="$RUN_DIR/.lock"

readonly PORT="${KAFKA_PORT:-9092}"
readonly CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
readonly START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
readonly STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
readonly HEAP="${KAFKA_HEAP:-512m}"
readonly LOCAL_BROKERS="127.0.0.1:$PORT"

# Seconds (one decimal) since a `date +%s%3N` timestamp.
elapsed_since() { local ms=$(( $(date +%s%3N) - $1 )); printf '%d.%d' $(( ms / 1000 )) $(( ms % 1000 / 100 )); }

say() { printf 'kafka-local: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

require_port() {
  [[ "$2" =~ ^[0-9]+$ ]] && (( $2 >= 1 && $2 <= 65535 )) || die "$1 must be a TCP port (1-65535), got '$2'"
}

pom_digest() { sha256sum "$POM" | cut -d' ' -f1; }

jars_complete() {
  [[ -f "$COMPLETE_MARKER" ]] && [[ "$(cat "$COMPLETE_MARKER")" == "$(pom_digest)" ]]
}

cmd_fetch() {
  if jars_complete; then
    say "jars for Kafka $KAFKA_VERSION already in $LIBS ($(find "$LIBS" -name '*.jar' | wc -l) jars)"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn (Maven >= 3.6.3) is needed to fetch the Kafka jars"
  mkdir -p "$KAFKA_CACHE"
  # One fetch at a time per cache (clones share it); the second one finds the jars complete.
  exec 8>"$KAFKA_CACHE/.fetch.lock"
  flock 8
  if jars_complete; then exec 8>&-; return 0; fi
  local started staging
  started=$(date +%s%3N)
  # Copy into a temp dir beside libs/ and rename: an interrupted fetch leaves only a temp dir
  # (removed on exit, or by the next fetch if the process was killed), never a half-filled libs/.
  rm -rf "$KAFKA_CACHE"/libs.fetch.*
  staging="$(mktemp -d "$KAFKA_CACHE/libs.fetch.XXXXXX")"
  trap 'rm -rf "$staging"' EXIT
  trap 'exit 130' INT TERM
  say "fetching Kafka $KAFKA_VERSION jars from Maven Central (first time only)..."
  mvn -B -ntp -q -Dstyle.color=never -f "$POM" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$staging" >&2 \
    || die "maven could not fetch the Kafka jars (is Maven Central reachable? see docs/operations-kafka.md)"
  [[ -n "$(find "$staging" -name 'kafka_2.13-*.jar')" ]] || die "the fetch produced no kafka_2.13 jar"
  chmod 755 "$staging"
  pom_digest >"$staging/.complete"
  # Never mix jars of two Kafka builds on one classpath: replace libs/ as a whole.
  rm -rf "$LIBS"
  mv -T "$staging" "$LIBS"
  trap - EXIT INT TERM
  exec 8>&-
  say "fetched $(find "$LIBS" -name '*.jar' | wc -l) jars, $(du -sh "$LIBS" | cut -f1), in $(elapsed_since "$started") s into $LIBS"
}

# True when something accepts TCP connections on the port (Kafka or not).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

broker_answers() { node "$PROBE" --brokers "$1" --timeout-seconds 0 2>/dev/null; }

pid_of_our_broker() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  # A pid file can outlive its process and the pid can be reused: only trust a live kafka.Kafka
  # that runs our properties file.
  [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "kafka.Kafka $PROPERTIES" || return 1
  echo "$pid"
}

write_configuration() {
  mkdir -p "$DATA_DIR"
  cat >"$PROPERTIES" <<EOF
# Written by tools/kafka/kafka-local.sh on every start; edit the script, not this file.
# Single combined KRaft broker+controller on loopback (Kafka 3.9 keys only).
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
# Defaults are 3 / 3 / 2: a single node could never create __consumer_offsets / __transaction_state.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Defaults are 50 partitions each: fewer makes the first consumer group / transaction faster.
offsets.topic.num.partitions=3
transaction.state.log.num.partitions=3
# Default 3000 ms: every first JoinGroup would wait 3 s.
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
# Small machine: fewer threads than the defaults.
num.network.threads=2
num.io.threads=4
background.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=24
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=6000
EOF
  cat >"$LOG4J_PROPERTIES" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel$=WARN
log4j.logger.state.change.logger=WARN
EOF
  cat >"$TOOLS_LOG4J_PROPERTIES" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.stderr.Target=System.err
EOF
}

readonly JVM_OPTIONS=(-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
  -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true)

format_storage_once() {
  if [[ -f "$DATA_DIR/meta.properties" ]]; then return 0; fi
  # Same rule as Kafka's Uuid.randomUuid(): 16 random bytes, unpadded base64url, not starting with '-'.
  local cluster_id
  do_draw() { head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
  cluster_id="$(do_draw)"
  while [[ "$cluster_id" == -* ]]; do cluster_id="$(do_draw)"; done
  say "formatting $DATA_DIR (cluster id $cluster_id)"
  java -Xmx256m "${JVM_OPTIONS[@]}" -Dlog4j.configuration="file:$TOOLS_LOG4J_PROPERTIES" -cp "$LIBS/*" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$PROPERTIES" >>"$RUN_DIR/format.log" 2>&1 \
    || { tail -n 20 "$RUN_DIR/format.log" >&2; die "formatting the storage failed (log: $RUN_DIR/format.log)"; }
}

wait_until_ready() {
  local pid="$1" started="$2"
  if ! node "$PROBE" --brokers "$LOCAL_BROKERS" --timeout-seconds "$START_TIMEOUT" --probe-topic --pid "$pid"; then
    say "the broker did not become ready within ${START_TIMEOUT} s; last lines of $LOG_FILE:"
    tail -n 40 "$LOG_FILE" >&2 || true
    if kill -0 "$pid" 2>/dev/null; then
      say "the broker (pid $pid) is left running: 'start' waits for it again, 'stop' ends it"
    fi
    exit 1
  fi
  say "ready after $(elapsed_since "$started") s (pid $pid, log $LOG_FILE)"
}

cmd_start() {
  if [[ -n "${KAFKA_BROKERS:-}" ]]; then
    # Someone else runs Kafka (CI service, another machine): validate, start nothing.
    node "$PROBE" --brokers "$KAFKA_BROKERS" --timeout-seconds 10 \
      || die "KAFKA_BROKERS=$KAFKA_BROKERS does not answer as a Kafka cluster; unset it to start a local broker"
    echo "KAFKA_BROKERS=$KAFKA_BROKERS"
    return 0
  fi
  require_port KAFKA_PORT "$PORT"
  require_port KAFKA_CONTROLLER_PORT "$CONTROLLER_PORT"
  mkdir -p "$RUN_DIR"
  # Two concurrent starts must not launch two brokers on one data dir.
  exec 9>"$LOCK_FILE"
  flock 9
  local started pid
  started=$(date +%s%3N)
  if broker_answers "$LOCAL_BROKERS"; then
    if pid="$(pid_of_our_broker)"; then say "Kafka already runs on $LOCAL_BROKERS (pid $pid, started by this script)"
    else say "Kafka already answers on $LOCAL_BROKERS (not started by this script; stop will not touch it)"; fi
    echo "KAFKA_BROKERS=$LOCAL_BROKERS"
    return 0
  fi
  if pid="$(pid_of_our_broker)"; then
    say "our broker (pid $pid) runs but does not answer yet; waiting for it"
    wait_until_ready "$pid" "$started"
    echo "KAFKA_BROKERS=$LOCAL_BROKERS"
    return 0
  fi
  port_open "$PORT" && die "port $PORT is taken by something that is not a ready Kafka broker; free it or set KAFKA_PORT"
  port_open "$CONTROLLER_PORT" && die "controller port $CONTROLLER_PORT is taken; free it or set KAFKA_CONTROLLER_PORT"
  command -v java >/dev/null || die "java (17+) is needed to run Kafka"
  cmd_fetch
  write_configuration
  format_storage_once
  say "starting Kafka $KAFKA_VERSION on $LOCAL_BROKERS (controller 127.0.0.1:$CONTROLLER_PORT, data $DATA_DIR)"
  # setsid + nohup: the broker outlives this shell and its terminal; the lock fd is not inherited.
  setsid nohup java -Xms256m -Xmx"$HEAP" "${JVM_OPTIONS[@]}" \
    -Dlog4j.configuration="file:$LOG4J_PROPERTIES" -Dkafka.logs.dir="$RUN_DIR" \
    -cp "$LIBS/*" kafka.Kafka "$PROPERTIES" >"$LOG_FILE" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"
  wait_until_ready "$pid" "$started"
  echo "KAFKA_BROKERS=$LOCAL_BROKERS"
}

cmd_stop() {
  local pid
  if ! pid="$(pid_of_our_broker)"; then
    rm -f "$PID_FILE"
    if port_open "$PORT"; then say "no broker started by this script runs; the one on port $PORT is not ours, left alone"
    else say "no broker started by this script runs"; fi
    return 0
  fi
  say "stopping Kafka (pid $pid): SIGTERM, controlled shutdown"
  kill -TERM "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if (( waited >= STOP_TIMEOUT * 10 )); then
      say "still running after ${STOP_TIMEOUT} s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$(( waited + 1 ))
  done
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$PID_FILE"
  say "stopped after $(( waited / 10 )).$(( waited % 10 )) s"
}

cmd_status() {
  local brokers="${KAFKA_BROKERS:-$LOCAL_BROKERS}" pid
  if broker_answers "$brokers"; then
    if [[ -z "${KAFKA_BROKERS:-}" ]] && pid="$(pid_of_our_broker)"; then say "Kafka answers on $brokers (pid $pid, started by this script)"
    else say "Kafka answers on $brokers"; fi
    echo "KAFKA_BROKERS=$brokers"
    return 0
  fi
  if pid="$(pid_of_our_broker)"; then say "our broker (pid $pid) runs but does not answer on $brokers (yet)"
  else say "no Kafka answers on $brokers"; fi
  return 1
}

cmd_logs() { tail -n "${1:-50}" "$LOG_FILE"; }

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  *) echo "usage: $0 fetch|start|stop|status|logs [lines]" >&2; exit 2 ;;
esac
