# The sandbox: what the README's first command runs. Today: a 3-controller cluster on loopback
# with the demo topology applied through tenetctl (hypervisors, agents and VMs arrive with the
# agent issue). Sourced by ops/bin/tenet after cluster.sh.

SANDBOX_TOPOLOGY=${SANDBOX_TOPOLOGY:-$TENET_ROOT/docs/examples/demo-topology.yaml}

sandbox_up() {
  # Whatever fails half way, leave nothing running behind.
  trap 'tenet_log "sandbox up failed; tearing down what it started"; sandbox_down' ERR
  tenet_log "step 1/3: starting 3 controllers (store peers + northbound API) on 127.0.0.1"
  cluster_up 3
  tenet_log "step 2/3: applying $SANDBOX_TOPOLOGY"
  "$TENET_ROOT/ops/bin/tenetctl" --server "127.0.0.1:$(api_port 1)" apply -f "$SANDBOX_TOPOLOGY"
  tenet_log "step 3/3: checking the result"
  sandbox_proof
  trap - ERR
  cat <<MSG

The sandbox is up. Go on with tenetctl (it talks to 127.0.0.1:7400 by default):
  ops/bin/tenetctl list logical-switch
  ops/bin/tenetctl get logical-switch-port web-1 --tenant acme -o yaml
  ops/bin/tenetctl watch --tenant acme          # then change something from another shell
  ops/bin/tenetctl cluster status
  ops/bin/tenet sandbox status | ops/bin/tenet sandbox down
MSG
}

# Proof that the cluster holds what was applied: the same subnet in two tenants, a second apply
# that changes nothing, a read through another controller.
sandbox_proof() {
  local ctl="$TENET_ROOT/ops/bin/tenetctl"
  echo "-- logical switches (both tenants use the same subnets):"
  "$ctl" --server "127.0.0.1:$(api_port 2)" list logical-switch
  echo "-- applying the same file again must change nothing:"
  "$ctl" --server "127.0.0.1:$(api_port 3)" apply -f "$SANDBOX_TOPOLOGY"
  echo "-- cluster:"
  "$ctl" --server "127.0.0.1:$(api_port 1)" cluster status
}

sandbox_down() {
  cluster_down
}

sandbox_status() {
  cluster_status
}
