#!/usr/bin/env bash
# The OpenSearch test cluster: 3 nodes in one JVM, bound to 127.0.0.1.
#
#   tests/opensearch/cluster.sh start    build (Maven) if needed, start, wait for green, print the URL
#   tests/opensearch/cluster.sh stop     stop the nodes and delete their data
#   tests/opensearch/cluster.sh status   print the URL and each node's state; exit 3 if not running
#   tests/opensearch/cluster.sh env      print the export lines the tests read
#
# `start` prints only the URL on stdout (messages go to stderr), so
#   export NEWSINDEX_OPENSEARCH_URL=$(tests/opensearch/cluster.sh start)
# works. Settings, all optional:
#   NEWSINDEX_OPENSEARCH_PORT        HTTP port of node 1 (9200); nodes 2 and 3 get the next two
#   NEWSINDEX_OPENSEARCH_WORK        pid, log, control and node directories
#                                    (default ${TMPDIR:-/tmp}/newsindex-opensearch-PORT)
#   NEWSINDEX_OPENSEARCH_HEAP        -Xmx of the JVM that holds all three nodes (1g; at most 1536m)
#   NEWSINDEX_OPENSEARCH_TIMEOUT     seconds to wait for green after the build (300)
#   JAVA_HOME                        the Java to run (17 or newer; default: java on PATH)
# See docs/scale-out.md, "Running the test cluster by hand".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
port=${NEWSINDEX_OPENSEARCH_PORT:-9200}
transport_port=$((port + 100))
work=${NEWSINDEX_OPENSEARCH_WORK:-${TMPDIR:-/tmp}/newsindex-opensearch-$port}
heap=${NEWSINDEX_OPENSEARCH_HEAP:-1g}
timeout=${NEWSINDEX_OPENSEARCH_TIMEOUT:-300}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
pidfile=$work/pid
log=$work/cluster.log
ready=$work/ready
control=$work/control
url="http://127.0.0.1:$port"
classpath_file=$here/target/classpath.txt
main_class=org.newsindex.testcluster.TestCluster

say() { echo "cluster.sh: $*" >&2; }

running_pid() {
  # The pid in the pid file, if that process is alive and is our cluster (not a reused pid).
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$main_class" || return 1
  echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

needs_build() {
  [ -f "$classpath_file" ] && [ -d "$here/target/classes" ] || return 0
  [ -z "$(find "$here/pom.xml" "$here/src" -newer "$classpath_file" -print -quit)" ] || return 0
  # A cleaned ~/.m2 leaves the class path pointing at jars that are gone.
  local jar
  while IFS= read -r -d: jar; do [ -f "$jar" ] || return 0; done < <(tr -d '\n' <"$classpath_file"; echo :)
  return 1
}

build() {
  needs_build || return 0
  command -v mvn >/dev/null || { say "Maven (mvn) not found: install it (apt-get install maven)"; exit 1; }
  say "building the test cluster with Maven (the first run downloads about 90 MB into ~/.m2)"
  local started=$SECONDS out
  out=$(mktemp)
  if ! mvn -q -B -f "$here/pom.xml" package >"$out" 2>&1; then
    say "Maven build failed:"; tail -n 40 "$out" >&2; rm -f "$out"; exit 1
  fi
  rm -f "$out"
  say "built in $((SECONDS - started))s"
}

start() {
  if pid=$(running_pid); then
    say "already running (pid $pid)"; echo "$url"; return 0
  fi
  command -v "$java" >/dev/null || { say "Java not found ($java): install a JDK 17 or newer"; exit 1; }
  for p in $port $((port + 1)) $((port + 2)) $transport_port $((transport_port + 1)) $((transport_port + 2)); do
    if port_in_use "$p"; then
      say "port $p on 127.0.0.1 is in use by another process; stop it, or set NEWSINDEX_OPENSEARCH_PORT"
      exit 1
    fi
  done
  build
  mkdir -p "$work"
  rm -f "$ready"
  local started=$SECONDS
  # JVM flags from OpenSearch's own jvm.options, minus what a throwaway test cluster does not need.
  "$java" -Xms256m "-Xmx$heap" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Djna.nosys=true -Dlog4j2.disable.jmx=true \
    -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true \
    -Dio.netty.recycler.maxCapacityPerThread=0 -Dio.netty.allocator.numDirectArenas=0 \
    -cp "$here/target/classes:$(cat "$classpath_file")" "$main_class" \
    --work-dir "$work" --http-port "$port" --transport-port "$transport_port" --nodes 3 \
    --ready-file "$ready" --control-dir "$control" --green-timeout "$timeout" \
    </dev/null >"$log" 2>&1 &
  echo $! >"$pidfile"
  local pid=$!
  while [ ! -f "$ready" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "the cluster exited before it was ready; last lines of $log:"; tail -n 40 "$log" >&2
      rm -f "$pidfile"; exit 1
    fi
    if [ $((SECONDS - started)) -ge "$timeout" ]; then
      say "the cluster was not green within ${timeout}s; last lines of $log:"; tail -n 40 "$log" >&2
      stop >/dev/null; exit 1
    fi
    sleep 0.5
  done
  say "3 nodes green in $((SECONDS - started))s at $url (nodes 2 and 3 on ports $((port + 1)) and $((port + 2)));" \
      "pid $pid, log $log, control directory $control"
  echo "$url"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$pidfile"; say "not running"; return 0
  fi
  kill -TERM "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ $waited -ge 120 ]; then  # 60 s
      say "pid $pid did not stop within 60s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      rm -rf "$work/nodes"
      break
    fi
    sleep 0.5; waited=$((waited + 1))
  done
  rm -f "$pidfile" "$ready"
  say "stopped (pid $pid)"
}

status() {
  local pid
  if pid=$(running_pid) && [ -f "$ready" ]; then
    echo "running: $url (pid $pid)"
    cat "$control/state" 2>/dev/null || true
    return 0
  fi
  if pid=$(running_pid); then echo "starting (pid $pid), not green yet; log $log"; return 3; fi
  echo "not running"; return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env)
    echo "export NEWSINDEX_OPENSEARCH_URL=$url"
    echo "export NEWSINDEX_OPENSEARCH_CONTROL=$control"
    ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
