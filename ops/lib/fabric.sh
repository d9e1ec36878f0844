# The fabric harness: hypervisors as network namespaces, each running its own Open vSwitch
# (a private ovsdb-server, and ovs-vswitchd with the userspace datapath inside the hypervisor's
# namespace) and its own tenet-agent; an underlay (a Linux bridge in a namespace of its own, one
# veth per hypervisor, the tunnel IP on the hypervisor's br-phy); VMs as namespaces with a veth
# into br-int. `ops/bin/tenet sandbox` and the end-to-end test (tenet.ops.fabric.FabricSystemTest)
# both build on it.
#
# Everything a function makes is written to $FABRIC_DIR/made before it is made (processes right
# after they start, with their start time), so fabric_down removes exactly that, by PID, however
# far a run got. Nothing here looks for processes or namespaces by name.
#
# Environment:
#   FABRIC_DIR        state directory: the record, every hypervisor's OVS directory, logs
#   FABRIC_PREFIX     prefix of every namespace name: unique per fabric, so fabrics never meet
#   FABRIC_JAVA, FABRIC_CLASSPATH   how agents are started (options: tenet_agent_java_opts)
#
# Every function runs in the root namespace; commands go into a namespace with ip netns exec.
# The agent runs in the root namespace too: it reaches the controllers on loopback and its OVS
# through the unix sockets in the hypervisor's OVS directory.

FABRIC_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
declare -F tenet_log >/dev/null || source "$FABRIC_LIB/env.sh"

# What the harness runs, as Debian packages (ops/bin/tenet test and sandbox install them).
FABRIC_PACKAGES=(openvswitch-switch iproute2 iputils-ping ethtool netcat-openbsd python3-minimal)
FABRIC_UNDERLAY_NET=192.168.100
FABRIC_UNDERLAY_MTU=1600   # VM MTU 1500 + Geneve's 50 and then some: larger packets vanish silently

fabric_require() {
  [ "$(id -u)" -eq 0 ] || tenet_die "the fabric needs root (network namespaces, Open vSwitch)"
  tenet_apt_install "${FABRIC_PACKAGES[@]}"
  [ -n "${FABRIC_DIR:-}" ] && [ -n "${FABRIC_PREFIX:-}" ] || tenet_die "set FABRIC_DIR and FABRIC_PREFIX"
}

# Starts a fabric's record (idempotent).
fabric_init() {
  fabric_require
  mkdir -p "$FABRIC_DIR"
  [ -f "$FABRIC_DIR/made" ] || echo "dir $FABRIC_DIR" > "$FABRIC_DIR/made"
}

_fabric_record() { echo "$*" >> "$FABRIC_DIR/made"; }

# A process' start time (clock ticks since boot): with the PID it names one process for good.
_fabric_starttime() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }

# Whether PID still runs the process that had start time ST (a zombie counts as gone).
_fabric_alive() {
  local pid=$1 st=$2 stat
  stat=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$(echo "$stat" | cut -d' ' -f20)" = "$st" ] && [ "$(echo "$stat" | cut -d' ' -f1)" != Z ]
}

# Records a process that just started ($1 = PID, $2 = what).
_fabric_record_pid() {
  local st; st=$(_fabric_starttime "$1")
  [ -n "$st" ] || { _fabric_record "pid $1 - $2"; return 0; }   # already gone
  _fabric_record "pid $1 $st $2"
}

# TERM, then KILL after 5 s.
_fabric_stop_pid() {
  local pid=$1 st=$2 i
  _fabric_alive "$pid" "$st" || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do _fabric_alive "$pid" "$st" || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do _fabric_alive "$pid" "$st" || return 0; sleep 0.1; done
}

fabric_ns() { echo "${FABRIC_PREFIX}$1"; }
fabric_ovs_dir() { echo "$FABRIC_DIR/$1"; }

# Runs an OVS tool against hypervisor HV's private OVS: fabric_ovs hv1 ovs-ofctl dump-flows br-int
fabric_ovs() {
  local d; d=$(fabric_ovs_dir "$1"); shift
  OVS_RUNDIR=$d OVS_LOGDIR=$d OVS_DBDIR=$d OVS_SYSCONFDIR=$d "$@"
}

_fabric_netns_add() {
  _fabric_record "netns $1"
  ip netns add "$1"
  ip -n "$1" link set lo up
  ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

# The underlay: a Linux bridge in a namespace of its own; hypervisors plug in with a veth.
fabric_underlay_up() {
  local ns; ns=$(fabric_ns ul)
  _fabric_netns_add "$ns"
  ip -n "$ns" link add br0 mtu "$FABRIC_UNDERLAY_MTU" type bridge
  ip -n "$ns" link set br0 up
}

# Hypervisor HV number N (1..254): its namespace, underlay port, OVS and br-phy with tunnel IP
# 192.168.100.N. br-int is the agent's (fabric_agent_start).
fabric_hv_up() {
  local hv=$1 n=$2 ns ul d ip
  ns=$(fabric_ns "$hv"); ul=$(fabric_ns ul); d=$(fabric_ovs_dir "$hv"); ip=$FABRIC_UNDERLAY_NET.$n
  # ovs-ofctl and ovs-appctl reach the daemons by unix sockets in $d, whose paths are at most 107 bytes.
  [ ${#d} -le 70 ] || tenet_die "the fabric's directory $d is too deep for OVS' unix sockets (at most 70 characters)"
  _fabric_netns_add "$ns"
  _fabric_record "hv $hv $n $ip"
  ip -n "$ul" link add "u-$hv" mtu "$FABRIC_UNDERLAY_MTU" type veth peer name ul0 netns "$ns" mtu "$FABRIC_UNDERLAY_MTU"
  ip -n "$ul" link set "u-$hv" master br0 up
  ip -n "$ns" link set ul0 up
  # ovs-vswitchd reads ul0 through an AF_PACKET socket, yet the namespace's kernel still sees its
  # frames: left on, it answers ARP for the br-phy address with ul0's MAC, OVS' tunnel neighbour
  # cache may learn that, and tunnelled packets are then never decapsulated.
  ip -n "$ns" link set ul0 arp off

  _fabric_record "ovs $d $ns"
  mkdir -p "$d"
  rm -f "$d/conf.db" "$d/.conf.db.~lock~"
  fabric_ovs "$hv" ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  # What the daemons say before they detach goes to start.log (their logs have the rest).
  fabric_ovs "$hv" ovsdb-server "$d/conf.db" --remote="punix:$d/db.sock" \
    --pidfile="$d/ovsdb-server.pid" --detach --no-chdir --log-file="$d/ovsdb-server.log" -vconsole:off \
    >> "$d/start.log" 2>&1 || tenet_die "ovsdb-server of $hv did not start: $(tail -5 "$d/start.log")"
  fabric_ovs "$hv" ovs-vsctl --no-wait init
  _fabric_start_vswitchd "$hv"
  fabric_ovs "$hv" ovs-vsctl --timeout=20 add-br br-phy -- set bridge br-phy datapath_type=netdev \
    other_config:hwaddr="$(_fabric_underlay_mac "$n")" -- add-port br-phy ul0
  fabric_ovs "$hv" ovs-ofctl add-flow br-phy priority=0,actions=NORMAL
  ip -n "$ns" addr add "$ip/24" dev br-phy
  ip -n "$ns" link set br-phy up
  _fabric_seed_neighbours "$hv" both
}

# OVS' userspace tunnels drop the packet that finds no underlay neighbour (and ask by ARP for the
# next one): tell HV the other hypervisors' MACs (and, with "both", them HV's), so no first packet
# is lost. The cache lives in ovs-vswitchd: a restarted one needs this again.
_fabric_seed_neighbours() {
  local hv=$1 both=${2:-} n ip other m oip
  read -r _ _ n ip < <(awk -v hv="$hv" '$1 == "hv" && $2 == hv' "$FABRIC_DIR/made")
  while read -r _ other m oip; do
    [ "$other" = "$hv" ] && continue
    fabric_ovs "$hv" ovs-appctl tnl/neigh/set br-phy "$oip" "$(_fabric_underlay_mac "$m")" >/dev/null
    [ -z "$both" ] || fabric_ovs "$other" ovs-appctl tnl/neigh/set br-phy "$ip" "$(_fabric_underlay_mac "$n")" >/dev/null
  done < <(awk '$1 == "hv"' "$FABRIC_DIR/made")
}

_fabric_start_vswitchd() {
  local hv=$1 ns d
  ns=$(fabric_ns "$hv"); d=$(fabric_ovs_dir "$hv")
  # One userspace ovs-vswitchd per namespace: its taps (ovs-netdev, br-phy) live there.
  ip netns exec "$ns" env OVS_RUNDIR="$d" OVS_LOGDIR="$d" OVS_DBDIR="$d" OVS_SYSCONFDIR="$d" \
    ovs-vswitchd "unix:$d/db.sock" --pidfile="$d/ovs-vswitchd.pid" --disable-system \
    --detach --no-chdir --log-file="$d/ovs-vswitchd.log" -vconsole:off \
    >> "$d/start.log" 2>&1 || tenet_die "ovs-vswitchd of $hv did not start: $(tail -5 "$d/start.log")"
}

# Restarts HV's ovs-vswitchd, as an upgrade would: it comes back with the bridges (they are in its
# database) but without flows; the agent puts them back.
fabric_ovs_restart() {
  local hv=$1 d pid
  d=$(fabric_ovs_dir "$hv")
  pid=$(cat "$d/ovs-vswitchd.pid")
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = ovs-vswitchd ] || tenet_die "ovs-vswitchd of $hv does not run"
  _fabric_stop_pid "$pid" "$(_fabric_starttime "$pid")"
  _fabric_start_vswitchd "$hv"
  # Returns once ovs-vswitchd has taken the database in (its bridges are back).
  fabric_ovs "$hv" ovs-vsctl --timeout=20 set Open_vSwitch . external_ids:fabric-restarted="$SECONDS"
  _fabric_seed_neighbours "$hv"
}

_fabric_underlay_mac() { printf '02:00:c0:a8:64:%02x' "$1"; }

# The agent of HV, connected to CONTROLLERS ("host:port,host:port"), in the root namespace.
fabric_agent_start() {
  local hv=$1 controllers=$2 d ip list="" c pid deadline
  d=$(fabric_ovs_dir "$hv")
  ip=$(awk -v hv="$hv" '$1 == "hv" && $2 == hv { print $4 }' "$FABRIC_DIR/made" | tail -1)
  [ -n "$ip" ] || tenet_die "no hypervisor $hv in $FABRIC_DIR"
  [ -n "${FABRIC_JAVA:-}" ] && [ -n "${FABRIC_CLASSPATH:-}" ] || tenet_die "set FABRIC_JAVA and FABRIC_CLASSPATH"
  for c in ${controllers//,/ }; do list+="${list:+, }\"$c\""; done
  cat > "$d/agent.conf" <<CONF
tenet.agent {
  chassis = "$hv"
  tunnel-ip = "$ip"
  encapsulations = [GENEVE]
  controllers = [$list]
  ovs.rundir = "$d"
}
CONF
  # setsid: the agent outlives the shell that started it; the record is how it is stopped.
  # shellcheck disable=SC2086
  setsid "$FABRIC_JAVA" $(tenet_agent_java_opts) -cp "$FABRIC_CLASSPATH" tenet.agent.TenetAgent --config "$d/agent.conf" >> "$d/agent.log" 2>&1 < /dev/null &
  pid=$!
  _fabric_record_pid "$pid" "agent $hv"
  echo "$pid $(_fabric_starttime "$pid")" > "$d/agent.pid"
  # Ready when it has made br-int with its tunnel port and the Geneve option's map.
  deadline=$((SECONDS + 60))
  until fabric_ovs "$hv" ovs-ofctl -O OpenFlow15 dump-tlv-map br-int 2>/dev/null | grep -q 0x102; do
    kill -0 "$pid" 2>/dev/null || tenet_die "the agent of $hv exited; its log ($d/agent.log) ends with:
$(tail -20 "$d/agent.log")"
    [ $SECONDS -lt $deadline ] || tenet_die "the agent of $hv did not set up br-int in 60 s; see $d/agent.log"
    sleep 0.2
  done
}

# Stops HV's agent (SIGTERM, or SIGKILL with "kill"); its flows stay in OVS.
fabric_agent_stop() {
  local hv=$1 how=${2:-term} d pid st i
  d=$(fabric_ovs_dir "$hv")
  read -r pid st < "$d/agent.pid" || return 0
  _fabric_alive "$pid" "$st" || return 0
  if [ "$how" = kill ]; then kill -9 "$pid"; else kill "$pid"; fi
  for i in $(seq 1 100); do _fabric_alive "$pid" "$st" || return 0; sleep 0.1; done
  tenet_die "the agent of $hv (pid $pid) did not stop"
}

fabric_agent_pid() { cut -d' ' -f1 "$(fabric_ovs_dir "$1")/agent.pid"; }

# VM NAME on HV: a namespace whose eth0 (MAC, CIDR, default route via GW) is a veth into HV's
# namespace, plugged into br-int with external_ids:iface-id=IFACE ("tenant/port").
fabric_vm_add() {
  local hv=$1 vm=$2 iface=$3 mac=$4 cidr=$5 gw=$6 ns hvns n vif
  ns=$(fabric_ns "$vm"); hvns=$(fabric_ns "$hv")
  n=$(awk -v hv="$hv" '$1 == "vm" && $3 == hv' "$FABRIC_DIR/made" | wc -l)
  vif=vif$((n + 1))
  _fabric_netns_add "$ns"
  _fabric_record "vm $vm $hv $vif $iface $cidr"
  ip link add "$vif" netns "$hvns" type veth peer name eth0 netns "$ns"
  ip -n "$ns" link set eth0 address "$mac"
  ip -n "$ns" addr add "$cidr" dev eth0
  # The userspace datapath does not finish the checksums a veth leaves to the NIC: without
  # this, TCP and UDP from the VM arrive with bad checksums (ping works either way).
  ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add default via "$gw"
  ip netns exec "$hvns" sysctl -qw "net.ipv6.conf.$vif.disable_ipv6=1"
  ip -n "$hvns" link set "$vif" up
  fabric_ovs "$hv" ovs-vsctl --timeout=20 add-port br-int "$vif" -- set interface "$vif" "external_ids:iface-id=$iface"
}

# A TCP listener in VM on PORTS that answers every connection with TEXT and closes it.
fabric_vm_listen() {
  local vm=$1 text=$2 ns pid; shift 2
  ns=$(fabric_ns "$vm")
  setsid ip netns exec "$ns" /usr/bin/python3 "$FABRIC_LIB/vm-listener.py" "$text" "$@" \
    >> "$FABRIC_DIR/listener-$vm.log" 2>&1 < /dev/null &
  pid=$!
  _fabric_record_pid "$pid" "listener $vm"
}

# Runs a command inside VM: fabric_vm_exec acme-web-1 ping -c 1 10.0.1.12
fabric_vm_exec() { local ns; ns=$(fabric_ns "$1"); shift; ip netns exec "$ns" "$@"; }

# One check, printed as a line; returns 0 when the result is the expected one.
#   fabric_check pass|fail ping VM IP WHY
#   fabric_check pass|fail tcp  VM IP:PORT WHY [ANSWER]   (pass: the listener's answer must be ANSWER)
fabric_check() {
  local expect=$1 kind=$2 vm=$3 target=$4 why=$5 answer=${6:-} got ok out
  case "$kind" in
    ping)
      out=$(fabric_vm_exec "$vm" ping -n -q -c 3 -i 0.5 -W 2 "$target" 2>&1) || true
      got=$(echo "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')
      got="${got:-0}/3 replies"
      if [ "$expect" = pass ]; then [ "$got" = "3/3 replies" ] && ok=1; else [ "$got" = "0/3 replies" ] && ok=1; fi ;;
    tcp)
      if out=$(fabric_vm_exec "$vm" nc -n -w 2 "${target%:*}" "${target##*:}" < /dev/null 2>&1); then
        got="connected, answer '$(echo "$out" | head -1)'"
        [ "$expect" = pass ] && { [ -z "$answer" ] || [ "$out" = "$answer" ]; } && ok=1
      else
        got="no connection"
        [ "$expect" = fail ] && ok=1
      fi ;;
    *) tenet_die "fabric_check: unknown kind $kind" ;;
  esac
  printf '  %-4s  must %-4s  %-4s %-13s -> %-15s %-44s %s\n' "$([ -n "${ok:-}" ] && echo ok || echo FAIL)" \
    "$expect" "$kind" "$vm" "$target" "$why" "$got"
  [ -n "${ok:-}" ]
}

# What runs, hypervisor by hypervisor.
fabric_status() {
  local made=$FABRIC_DIR/made hv n ip dir p pid st vm vif iface cidr
  [ -f "$made" ] || { echo "no fabric in $FABRIC_DIR"; return 0; }
  while read -r _ hv n ip; do
    dir=$(fabric_ovs_dir "$hv")
    printf '%s  namespace %s, tunnel IP %s, OVS in %s\n' "$hv" "$(fabric_ns "$hv")" "$ip" "$dir"
    for p in ovsdb-server ovs-vswitchd; do
      pid=$(cat "$dir/$p.pid" 2>/dev/null || true)
      if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$p" ]; then
        printf '    %-13s running  pid %s\n' "$p" "$pid"
      else
        printf '    %-13s stopped\n' "$p"
      fi
    done
    if read -r pid st < "$dir/agent.pid" 2>/dev/null && _fabric_alive "$pid" "$st"; then
      printf '    %-13s running  pid %s, log %s\n' tenet-agent "$pid" "$dir/agent.log"
    else
      printf '    %-13s stopped  log %s\n' tenet-agent "$dir/agent.log"
    fi
    printf '    %-13s %s flows, applied version %s\n' br-int \
      "$(fabric_ovs "$hv" ovs-ofctl -O OpenFlow15 dump-flows br-int --no-stats 2>/dev/null | grep -c cookie= || true)" \
      "$(fabric_ovs "$hv" ovs-vsctl --timeout=5 --if-exists get bridge br-int external_ids:tenet-applied-version 2>/dev/null | tr -d '"' || true)"
    while read -r _ vm _ vif iface cidr; do
      printf '    vm %-13s %-13s %-13s namespace %s, %s on br-int\n' "$vm" "$iface" "$cidr" "$(fabric_ns "$vm")" "$vif"
    done < <(awk -v hv="$hv" '$1 == "vm" && $3 == hv' "$made")
  done < <(awk '$1 == "hv"' "$made")
}

# Removes everything the record names, newest first: processes (by PID and start time), OVS
# daemons (by their pid files), namespaces, then the directory itself.
fabric_down() {
  local made=$FABRIC_DIR/made kind a b c pid
  [ -f "$made" ] || { rm -rf "${FABRIC_DIR:?}"; return 0; }
  while read -r kind a b c; do
    case "$kind" in
      pid) [ "$b" = - ] || _fabric_stop_pid "$a" "$b" ;;
      ovs)
        # vswitchd first: it is the database's client. A PID counts only while it runs that daemon.
        for p in ovs-vswitchd ovsdb-server; do
          pid=$(cat "$a/$p.pid" 2>/dev/null || true)
          [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$p" ] &&
            _fabric_stop_pid "$pid" "$(_fabric_starttime "$pid")"
        done ;;
      netns)
        if ip netns list | grep -qx "$a\( .*\)\?"; then
          # A namespace lives on while a process is inside: anything left in one of ours goes.
          for pid in $(ip netns pids "$a" 2>/dev/null); do
            tenet_log "fabric: pid $pid still in namespace $a; stopping it"
            _fabric_stop_pid "$pid" "$(_fabric_starttime "$pid")"
          done
          ip netns del "$a" 2>/dev/null || tenet_log "fabric: could not delete namespace $a"
        fi ;;
    esac
  done < <(tac "$made")
  rm -rf "${FABRIC_DIR:?}"
}
