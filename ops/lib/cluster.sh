# Build, classpath and a local controller cluster on loopback, stopped by PID.
# Sourced by ops/bin/tenet after env.sh.

TENET_STATE=${TENET_STATE:-$TENET_ROOT/.tenet}
# JVM options of the processes started here; TENET_JAVA_OPTS overrides them.
tenet_java_opts() { echo "${TENET_JAVA_OPTS:--Xmx1g $TENET_JVM_FLAGS}"; }
CLASSPATH_FILE=$TENET_ROOT/ops/target/tenet.classpath

# Rebuilds when a source or pom is newer than the last build (or when asked to).
tenet_build() {
  local mode=${1:-}
  if [ "$mode" != force ] && [ -f "$CLASSPATH_FILE" ] &&
     [ -z "$(find "$TENET_ROOT" -path "$TENET_ROOT/.tenet" -prune -o \( -name '*.java' -o -name '*.proto' -o -name 'pom.xml' -o -name '*.conf' -o -name 'logback*.xml' \) -newer "$CLASSPATH_FILE" -print -quit)" ]; then
    return 0
  fi
  [ "$mode" = quiet ] || tenet_log "building (mvn install -DskipTests)"
  (cd "$TENET_ROOT" && "$MVN" -q -B install -DskipTests >&2) || tenet_die "build failed"
  (cd "$TENET_ROOT" && "$MVN" -q -B -pl ops dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$CLASSPATH_FILE.deps" >&2) ||
    tenet_die "could not compute the classpath"
  printf '%s:%s' "$TENET_ROOT/ops/target/classes" "$(cat "$CLASSPATH_FILE.deps")" > "$CLASSPATH_FILE"
  [ "$mode" = quiet ] || tenet_log "recording the controllers' class-data archive"
  tenet_controller_archive
}

tenet_classpath() { cat "$CLASSPATH_FILE"; }

# Controllers run from the jars alone (class-data sharing takes no directory on the class path;
# a controller needs nothing of the ops module), with the class-data archive of this build.
CDS_ARCHIVE=$TENET_ROOT/ops/target/tenet-controller.jsa
tenet_controller_classpath() { cat "$CLASSPATH_FILE.deps"; }
tenet_controller_java_opts() {
  if [ -f "$CDS_ARCHIVE" ]; then echo "$(tenet_java_opts) -XX:SharedArchiveFile=$CDS_ARCHIVE"; else tenet_java_opts; fi
}

# A controller parses and verifies ~20,000 classes as it starts (Scala, Pekko, Ratis, gRPC, Netty,
# protobuf): about half of the 11 s of CPU it took to serve its API here. Classes it loaded once,
# mapped from a class-data archive, cost a fraction of that (measured: 4.8-5.9 s of CPU against
# 11.1-11.6 s), which is most of the time a restarted controller takes to serve again. The archive
# records one start of a lone controller on free ports and a few calls to its API; it belongs to
# this build's jars and JDK
# (a JVM that finds them changed ignores it and starts the slow way).
tenet_controller_archive() {
  local dir pid i
  dir=$(mktemp -d)
  rm -f "$CDS_ARCHIVE" "$CDS_ARCHIVE.tmp"
  cat > "$dir/controller.conf" <<CONF
tenet.controller { node-id = "archive", data-dir = "$dir/data", api.port = 0, raft.port = 0, compiler.port = 0 }
CONF
  "$JAVA_HOME/bin/java" $(tenet_java_opts) -XX:ArchiveClassesAtExit="$CDS_ARCHIVE.tmp" -cp "$(tenet_controller_classpath)" \
    tenet.controller.TenetController --config "$dir/controller.conf" > "$dir/controller.log" 2>&1 < /dev/null &
  pid=$!
  for i in $(seq 1 1200); do
    grep -q "serving the API" "$dir/controller.log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  # A few API calls, so the classes of serving one (gRPC's and Netty's server side, the write path
  # through Ratis) are in the archive too: without them a restarted controller's first answers
  # came 1-2 s after its API opened on a loaded machine.
  local api
  api=$(sed -n 's/.*serving the API on \([0-9.]*:[0-9]*\).*/\1/p' "$dir/controller.log" | head -1)
  if [ -n "$api" ]; then
    local ctl=("$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 $TENET_JVM_FLAGS -cp "$(tenet_classpath)" tenet.ops.cli.Tenetctl --server "$api")
    "${ctl[@]}" cluster status > /dev/null 2>&1 || true
    "${ctl[@]}" create tenant archive > /dev/null 2>&1 || true
    "${ctl[@]}" get tenant archive > /dev/null 2>&1 || true
  fi
  for i in $(seq 1 1200); do
    grep -q "controller cluster node started" "$dir/controller.log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true   # the archive is written as the JVM exits
  if [ -s "$CDS_ARCHIVE.tmp" ]; then
    mv "$CDS_ARCHIVE.tmp" "$CDS_ARCHIVE"
  else
    tenet_log "warning: no class-data archive for controllers (they start slower); the recording controller's log ends with:"
    tail -5 "$dir/controller.log" >&2
  fi
  rm -rf "$dir" "$CDS_ARCHIVE.tmp"
}

tenet_test() {
  # The compiler's OVS tests run a private ovs-vswitchd in its own network namespace (nsenter,
  # unshare: util-linux; ip: iproute2); the end-to-end test builds hypervisors and VMs with the
  # fabric harness, which also pings, opens TCP connections (nc) and listens (python3).
  source "$TENET_ROOT/ops/lib/fabric.sh"
  tenet_apt_install "${FABRIC_PACKAGES[@]}"
  tenet_log "running every test (mvn verify)"
  cd "$TENET_ROOT" && "$MVN" -B verify "$@"
}

# Controller i (1-based): API (northbound, southbound) on 7399+i, Raft on 7409+i, compiler cluster on 7419+i.
api_port()  { echo $((7399 + $1)); }
raft_port() { echo $((7409 + $1)); }
compiler_port() { echo $((7419 + $1)); }

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

cluster_up() {
  local n=$1 dir=$TENET_STATE/cluster peers="" i
  case "$n" in 1|3|5) ;; *) tenet_die "a cluster has 1, 3 or 5 controllers, not $n" ;; esac
  mkdir -p "$dir"
  local seeds=""
  for i in $(seq 1 "$n"); do peers+="${peers:+, }\"c$i@127.0.0.1:$(raft_port "$i")\""; done
  for i in $(seq 1 "$n"); do seeds+="${seeds:+, }\"127.0.0.1:$(compiler_port "$i")\""; done
  for i in $(seq 1 "$n"); do
    local node=$dir/c$i
    mkdir -p "$node"
    if pid_alive "$(cat "$node/pid" 2>/dev/null)"; then
      tenet_log "c$i already runs (pid $(cat "$node/pid"))"; continue
    fi
    cat > "$node/controller.conf" <<CONF
tenet.controller {
  node-id = "c$i"
  data-dir = "$node/data"
  api { host = "127.0.0.1", port = $(api_port "$i") }
  raft { host = "127.0.0.1", port = $(raft_port "$i") }
  peers = [$peers]
  compiler { host = "127.0.0.1", port = $(compiler_port "$i"), seeds = [$seeds] }
}
CONF
    # setsid: the controller outlives this shell; its PID file is how we stop it.
    setsid "$JAVA_HOME/bin/java" $(tenet_controller_java_opts) -cp "$(tenet_controller_classpath)" tenet.controller.TenetController \
      --config "$node/controller.conf" > "$node/controller.log" 2>&1 < /dev/null &
    echo $! > "$node/pid"
    tenet_log "started c$i (pid $!, API 127.0.0.1:$(api_port "$i"), log $node/controller.log)"
  done
  cluster_wait_ready "$n"
}

# Ready = the Admin API answers and names a leader. TENET_READY_TIMEOUT (s, default 60): on a
# machine loaded by others each tenetctl takes seconds to start.
cluster_wait_ready() {
  local n=$1 limit=${TENET_READY_TIMEOUT:-60} deadline i
  deadline=$((SECONDS + limit))
  for i in $(seq 1 "$n"); do
    until "$TENET_ROOT/ops/bin/tenetctl" --server "127.0.0.1:$(api_port "$i")" --timeout 2 cluster status >/dev/null 2>&1; do
      pid_alive "$(cat "$TENET_STATE/cluster/c$i/pid" 2>/dev/null)" ||
        tenet_die "c$i exited; see $TENET_STATE/cluster/c$i/controller.log"
      [ $SECONDS -lt $deadline ] || tenet_die "c$i did not become ready in $limit s; see its log (TENET_READY_TIMEOUT gives it longer)"
      sleep 0.5
    done
  done
  tenet_log "cluster of $n ready"
}

cluster_down() {
  local dir=$TENET_STATE/cluster node pid stopping=()
  [ -d "$dir" ] || { tenet_log "no cluster"; return 0; }
  # SIGTERM to all first, then wait for each: they shut down side by side.
  for node in "$dir"/c*; do
    [ -f "$node/pid" ] || continue
    pid=$(cat "$node/pid")
    if pid_alive "$pid"; then
      kill "$pid" 2>/dev/null || true
      stopping+=("$node")
    fi
  done
  for node in "${stopping[@]}"; do
    pid=$(cat "$node/pid")
    for _ in $(seq 1 50); do pid_alive "$pid" || break; sleep 0.1; done
    pid_alive "$pid" && kill -9 "$pid" 2>/dev/null || true
    tenet_log "stopped $(basename "$node") (pid $pid)"
  done
  rm -rf "$dir"
}

cluster_status() {
  local dir=$TENET_STATE/cluster node pid
  [ -d "$dir" ] || { echo "no cluster (ops/bin/tenet cluster up)"; return 0; }
  for node in "$dir"/c*; do
    pid=$(cat "$node/pid" 2>/dev/null || true)
    if pid_alive "$pid"; then echo "$(basename "$node")  running  pid $pid"; else echo "$(basename "$node")  stopped"; fi
  done
  "$TENET_ROOT/ops/bin/tenetctl" --server "127.0.0.1:$(api_port 1)" cluster status || true
}
