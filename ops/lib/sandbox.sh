# The sandbox: what the README's first command runs. Three controllers on loopback, two
# hypervisors (network namespaces, each with its own Open vSwitch and tenet-agent) joined by an
# underlay, the VMs of the demo plugged in, docs/examples/demo-topology.yaml applied with
# tenetctl, and the proof that it forwards what it should and nothing else. Built on the same
# harness as the end-to-end test (fabric.sh, demo.sh). Sourced by ops/bin/tenet after cluster.sh.

source "$TENET_ROOT/ops/lib/fabric.sh"
source "$TENET_ROOT/ops/lib/demo.sh"

SANDBOX_DIR=$TENET_STATE/sandbox
SANDBOX_CONTROLLERS=3
SANDBOX_HYPERVISORS=2

_sandbox_fabric() {
  export FABRIC_DIR=$SANDBOX_DIR FABRIC_PREFIX=tsb-
}

_sandbox_ctl() { "$TENET_ROOT/ops/bin/tenetctl" --server "127.0.0.1:$(api_port "${CTL_NODE:-1}")" "$@"; }

# Every controller's API, "host:port,...", starting with the K-th (so agents spread over them).
_sandbox_controllers() {
  local k=$1 n=$SANDBOX_CONTROLLERS j out=""
  for j in $(seq 0 $((n - 1))); do out+="${out:+,}127.0.0.1:$(api_port $(((k - 1 + j) % n + 1)))"; done
  echo "$out"
}

_sandbox_step_start=-1
_sandbox_step() {
  [ "$_sandbox_step_start" -lt 0 ] || tenet_log "  done in $((SECONDS - _sandbox_step_start)) s"
  _sandbox_step_start=$SECONDS
  [ $# -eq 0 ] || tenet_log "step $*"
}

_sandbox_interrupted() {
  trap '' INT TERM   # a second Ctrl-C must not stop the cleanup half way
  tenet_log "interrupted: stopping after the current command, then removing everything sandbox up made"
  kill -TERM "$_SANDBOX_WORKER" 2>/dev/null || true
  wait "$_SANDBOX_WORKER" 2>/dev/null || true
  sandbox_down
  exit 130
}

# The steps of sandbox up (in a subshell: tenet_die ends only it).
_sandbox_build() {
  local i
  export FABRIC_JAVA=$JAVA_HOME/bin/java FABRIC_CLASSPATH
  FABRIC_CLASSPATH=$(tenet_classpath)
  _sandbox_step "1/6: checking this machine (root, Open vSwitch, iproute2, ping, ethtool, nc, python3)"
  fabric_init
  _sandbox_step "2/6: starting $SANDBOX_CONTROLLERS controllers (store, compiler cluster, APIs) on 127.0.0.1:$(api_port 1)-$(api_port "$SANDBOX_CONTROLLERS")"
  cluster_up "$SANDBOX_CONTROLLERS"
  _sandbox_step "3/6: starting $SANDBOX_HYPERVISORS hypervisors (network namespaces ${FABRIC_PREFIX}hv*, each its own ovs-vswitchd) on an underlay"
  fabric_underlay_up
  for i in $(seq 1 "$SANDBOX_HYPERVISORS"); do fabric_hv_up "hv$i" "$i"; done
  _sandbox_step "4/6: starting a tenet-agent per hypervisor"
  for i in $(seq 1 "$SANDBOX_HYPERVISORS"); do
    fabric_agent_start "hv$i" "$(_sandbox_controllers "$i")"
    tenet_log "  hv$i: agent pid $(fabric_agent_pid "hv$i"), log $(fabric_ovs_dir "hv$i")/agent.log"
  done
  _sandbox_step "5/6: applying $DEMO_TOPOLOGY"
  _sandbox_ctl apply -f "$DEMO_TOPOLOGY" 2>&1 | sed 's/^/  /'
  _sandbox_step "6/6: plugging in the VMs (namespaces ${FABRIC_PREFIX}<tenant>-<port>) and waiting for their flows"
  demo_plug
  sandbox_await_converged "${TENET_READY_TIMEOUT:-90}"
  _sandbox_step
}

sandbox_up() {
  _sandbox_fabric
  [ ! -e "$SANDBOX_DIR" ] || tenet_die "a sandbox is already up ($SANDBOX_DIR): ops/bin/tenet sandbox status, or sandbox down first"
  # The sandbox starts its own controllers, on fresh data.
  [ ! -e "$TENET_STATE/cluster" ] ||
    tenet_die "a controller cluster runs or was left behind in $TENET_STATE/cluster: ops/bin/tenet cluster down first"
  local started=$SECONDS rc=0
  # The steps run in a background subshell that this shell waits for. Ctrl-C reaches only this
  # shell (background jobs ignore SIGINT, and so do their children): a JVM child would take it as
  # handled, and bash would then go on (wait-and-cooperative-exit). Here it stops the steps after
  # their current command and removes what they made; a failing step does the same.
  ( trap 'exit 143' TERM; _sandbox_build ) &
  _SANDBOX_WORKER=$!
  trap _sandbox_interrupted INT TERM
  wait "$_SANDBOX_WORKER" || rc=$?
  trap - INT TERM
  if [ "$rc" -ne 0 ]; then
    tenet_log "sandbox up failed (exit $rc); removing everything it made"
    sandbox_down
    return "$rc"
  fi
  tenet_log "sandbox up in $((SECONDS - started)) s"

  echo
  echo "-- proof: what must pass and what must fail"
  local bad=0
  demo_proof || bad=$?
  echo
  echo "-- where each chassis stands (tenetctl sync):"
  _sandbox_ctl sync | sed 's/^/  /'
  cat <<MSG

The sandbox is up. Go on with tenetctl (it talks to 127.0.0.1:7400 by default):
  ops/bin/tenetctl list logical-switch-port                 # every tenant's ports
  ops/bin/tenetctl list port-binding                        # where each runs, as the agents reported
  ops/bin/tenetctl sync                                     # desired vs applied flows per chassis
  ops/bin/tenetctl get security-group db --tenant acme -o yaml
  ops/bin/tenetctl watch --tenant acme                      # then change something from another shell
Look inside:
  ip netns exec ${FABRIC_PREFIX}acme-web-1 ping 10.0.2.11           # a VM's shell: ip netns exec ${FABRIC_PREFIX}<vm> bash
  OVS_RUNDIR=$(fabric_ovs_dir hv1) ovs-ofctl -O OpenFlow15 dump-flows br-int
  ops/bin/tenet sandbox status | ops/bin/tenet sandbox down
MSG
  if [ "$bad" -ne 0 ]; then
    tenet_log "$bad checks did not give the expected result; the sandbox stays up for a look (agent logs: $SANDBOX_DIR/hv*/agent.log, controllers: $TENET_STATE/cluster/c*/controller.log)"
    return 1
  fi
}

# Until every VM's port is bound (its agent reported it) and every chassis has applied the
# flows the controllers want, twice in a row.
sandbox_await_converged() {
  local timeout=$1 deadline=$((SECONDS + $1)) want ok=0 bound sync
  want=$(demo_vms | wc -l)
  while [ $ok -lt 2 ]; do
    [ $SECONDS -lt $deadline ] || tenet_die "the fabric did not converge in $timeout s:
$(_sandbox_ctl list port-binding 2>&1)
$(_sandbox_ctl sync 2>&1)"
    sleep 0.5
    bound=$(_sandbox_ctl list port-binding 2>/dev/null | awk 'NR > 1' | wc -l)
    sync=$(_sandbox_ctl sync 2>/dev/null | awk 'NR > 1 { n++; if ($4 == "yes") y++ } END { print n + 0, y + 0 }')
    if [ "$bound" -eq "$want" ] && [ "$sync" = "$SANDBOX_HYPERVISORS $SANDBOX_HYPERVISORS" ]; then
      ok=$((ok + 1))
    else
      ok=0
    fi
  done
}

sandbox_down() {
  _sandbox_fabric
  if [ -e "$SANDBOX_DIR" ]; then
    fabric_down
    tenet_log "removed the hypervisors, agents, VMs and $SANDBOX_DIR"
  fi
  cluster_down
  rmdir "$TENET_STATE" 2>/dev/null || true   # when the sandbox was all it held
}

sandbox_status() {
  _sandbox_fabric
  if [ ! -e "$SANDBOX_DIR" ]; then
    echo "no sandbox (ops/bin/tenet sandbox up)"
    return 0
  fi
  echo "-- controllers"
  cluster_status
  echo "-- hypervisors"
  fabric_status
  echo "-- desired vs applied flows per chassis (tenetctl sync)"
  _sandbox_ctl sync || true
}
