# `tenet bench plug [--tries N]`: plugged to forwarding, in a running sandbox. A VM whose logical
# port exists (acme-web-2 on hv2) is unplugged (ovs-vsctl del-port) and, once the fabric has
# forgotten it, plugged in again with `ovs-vsctl add-port`, while a VM on the other hypervisor
# (acme-web-1 on hv1) pings it every 5 ms. The figure is the time from just before add-port to the
# first echo reply; each try is broken down from the logs' timestamps:
#   ofport     ovs-vswitchd of hv2 added the interface ("added interface ... on port N")
#   reported   hv2's agent sent the new Ports list ("ports plugged in (+[acme/web-2@N]")
#   bound      the PortBinding reached a watch of the API (tenetctl watch port-binding)
#   hvN came / hvN in OVS   the delta that followed reached hvN's agent / was in its OVS (the
#              agent logs the spans of each update it applies)
# Needs `ops/bin/tenet sandbox up` first; leaves the VM plugged in. Progress and the table to
# stderr, one JSON line to stdout. Sourced by ops/bin/tenet after env.sh and cluster.sh.

source "$TENET_ROOT/ops/lib/sandbox.sh"

BENCH_PLUG_VM=acme-web-2
BENCH_PLUG_FROM=acme-web-1

bench_plug() {
  local tries=5
  while [ $# -gt 0 ]; do
    case "$1" in
      --tries) tries=${2:?--tries needs a number}; shift 2 ;;
      *) tenet_die "bench plug: unknown option $1 (have: --tries N)" ;;
    esac
  done
  [[ "$tries" =~ ^[1-9][0-9]*$ ]] || tenet_die "bench plug: --tries must be a positive number, got '$tries'"
  _sandbox_fabric
  [ -f "$SANDBOX_DIR/made" ] || tenet_die "bench plug measures in the sandbox: ops/bin/tenet sandbox up first"
  local hv vif iface cidr ip from_hv out watch_pid t
  read -r _ _ hv vif iface cidr < <(awk -v vm="$BENCH_PLUG_VM" '$1 == "vm" && $2 == vm' "$SANDBOX_DIR/made")
  from_hv=$(awk -v vm="$BENCH_PLUG_FROM" '$1 == "vm" && $2 == vm { print $3 }' "$SANDBOX_DIR/made")
  [ -n "$vif" ] && [ -n "$from_hv" ] || tenet_die "bench plug: the sandbox has no VM $BENCH_PLUG_VM or $BENCH_PLUG_FROM"
  [ "$hv" != "$from_hv" ] || tenet_die "bench plug: $BENCH_PLUG_VM and $BENCH_PLUG_FROM are on one hypervisor"
  ip=${cidr%/*}
  out=$SANDBOX_DIR/bench-plug
  rm -rf "$out"; mkdir -p "$out"

  # Every binding change, stamped as it arrives. From revision 1, so that its first lines (the
  # bindings made so far) say it is connected. tenetctl ends in exec java: $! is the JVM, and
  # --for ends it even if this shell does not.
  "$TENET_ROOT/ops/bin/tenetctl" --server "127.0.0.1:$(api_port 1)" watch port-binding --tenant "${iface%%/*}" \
    --from-revision 1 --for $((tries * 60 + 60)) 2> "$out/watch.err" \
    > >(while IFS= read -r line; do echo "$EPOCHREALTIME $line"; done > "$out/watch.log") &
  watch_pid=$!
  t=$((SECONDS + 30))
  until [ -s "$out/watch.log" ]; do
    kill -0 "$watch_pid" 2>/dev/null && [ $SECONDS -lt $t ] ||
      tenet_die "bench plug: the watch of port bindings did not start: $(cat "$out/watch.err")"
    sleep 0.2
  done
  tenet_log "bench plug: $BENCH_PLUG_VM ($iface, $ip, $vif on $hv), pinged from $BENCH_PLUG_FROM on $from_hv; $tries tries; logs in $out"
  local results=() i
  for i in $(seq 1 "$tries"); do
    _bench_plug_unplug "$hv" "$vif" "$iface" "$out" "$i"
    t=$(_bench_plug_try "$hv" "$vif" "$iface" "$ip" "$from_hv" "$out" "$i") || exit 1
    results+=("$t")
  done
  kill "$watch_pid" 2>/dev/null || true
  wait "$watch_pid" 2>/dev/null || true

  {
    echo
    echo "plugged to forwarding, ms after add-port (try: ofport, reported, bound, $from_hv came / in OVS, $hv came / in OVS, first reply)"
    printf '%s\n' "${results[@]}" | awk '{ printf "  %s\n", $0 }'
  } >&2
  printf '%s\n' "${results[@]}" | awk '{ print $NF }' | sort -n | awk -v commit="$(git -C "$TENET_ROOT" rev-parse --short HEAD 2>/dev/null)" '
    { v[NR] = $1 + 0 }
    END {
      n = NR
      med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      printf "plugged to forwarding over %d tries: min %d ms, median %d ms, max %d ms\n", n, v[1], med, v[n] > "/dev/stderr"
      printf "{\"bench\":\"plug\",\"commit\":\"%s\",\"tries\":%d,\"plug_to_ping_ms_min\":%d,\"plug_to_ping_ms_median\":%d,\"plug_to_ping_ms_max\":%d}\n", commit, n, v[1], med, v[n]
    }'
}

# Unplugs the VM and waits until the fabric has forgotten it: the binding deleted, then 2 s for
# both agents' flows.
_bench_plug_unplug() {
  local hv=$1 vif=$2 iface=$3 out=$4 i=$5 since deadline
  since=$EPOCHREALTIME
  fabric_ovs "$hv" ovs-vsctl --timeout=20 --if-exists del-port br-int "$vif"
  deadline=$((SECONDS + 20))
  until awk -v t="$since" -v id="$iface" '$1 >= t && $3 == "DELETE" && $5 == id { found = 1 } END { exit !found }' \
      "$out/watch.log" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || tenet_die "bench plug: try $i: the binding of $iface was not deleted in 20 s after del-port ($out/watch.log, $out/watch.err)"
    sleep 0.1
  done
  sleep 2
}

# One try: ping running, add-port, first reply. Prints "try ofport reported bound ... reply" in ms after add-port.
_bench_plug_try() {
  local hv=$1 vif=$2 iface=$3 ip=$4 from_hv=$5 out=$6 i=$7 ping_pid t0 deadline d
  d=$(fabric_ovs_dir "$hv")
  # ip netns exec execs ping: $! is ping. -w: it ends by itself in any case.
  ip netns exec "$(fabric_ns "$BENCH_PLUG_FROM")" ping -D -n -i 0.005 -w 30 "$ip" > "$out/ping-$i.log" 2>&1 &
  ping_pid=$!
  sleep 0.5
  t0=$EPOCHREALTIME
  fabric_ovs "$hv" ovs-vsctl --timeout=20 add-port br-int "$vif" -- set interface "$vif" "external_ids:iface-id=$iface"
  deadline=$((SECONDS + 20))
  until grep -q 'bytes from' "$out/ping-$i.log"; do
    [ $SECONDS -lt $deadline ] || { kill "$ping_pid" 2>/dev/null; tenet_die "bench plug: try $i: no echo reply in 20 s after add-port ($out)"; }
    sleep 0.05
  done
  kill "$ping_pid" 2>/dev/null || true
  wait "$ping_pid" 2>/dev/null || true
  sleep 0.3 # the agents' log lines of this try are written

  # Times of day (UTC) in the logs: seconds since midnight, as t0's.
  local row
  row=$(
    {
      echo "t0 $t0"
      awk -v vif="$vif" '/added interface/ && $0 ~ ("interface " vif " on port") { split($1, a, "T"); t = substr(a[2], 1, 12) } END { print "ofport", t }' \
        "$d/ovs-vswitchd.log"
      awk -v hv="$hv" -v id="$iface" 'index($0, "agent " hv ": ") && index($0, "ports plugged in (+[") && index($0, id "@") { print "reported", $1 }' "$d/agent.log"
      awk -v id="$iface" '$3 == "PUT" && $5 == id { print "boundepoch", $1 }' "$out/watch.log"
      for h in "$from_hv" "$hv"; do
        awk -v hv="$h" 'index($0, "agent " hv ": version ") && index($0, "ms to record it") {
            match($0, /flows; [0-9]+ ms to put together, [0-9]+ ms to diff and put in OVS, [0-9]+ ms to record it/)
            split(substr($0, RSTART, RLENGTH), n, /[^0-9]+/)
            print "flows-" hv, $1, n[2], n[3], n[4] }' "$(fabric_ovs_dir "$h")/agent.log"
      done
      awk '/bytes from/ { gsub(/[][]/, "", $1); print "replyepoch", $1; exit }' "$out/ping-$i.log"
    } | awk -v try="$i" -v first="$from_hv" -v second="$hv" '
      function sod(hms,   p) { split(hms, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }
      function since(s,   x) { x = s - t0sod; if (x < -43200) x += 86400; return x * 1000 }
      function ms(x) { return (x == "") ? "-" : sprintf("%d", x) }
      $1 == "t0" { t0 = $2; t0sod = t0 % 86400; next }
      # the first of each after t0 (log times are to the millisecond: 1 ms of slack)
      $1 == "ofport" && $2 != "" && since(sod($2)) >= -1 { ofport = since(sod($2)) }
      $1 == "reported" && reported == "" && since(sod($2)) >= -1 { reported = since(sod($2)) }
      $1 == "boundepoch" && bound == "" && $2 >= t0 { bound = ($2 - t0) * 1000 }
      $1 ~ /^flows-/ && since(sod($2)) >= -1 && !(($1) in done) {
        done[$1] = 1; end = since(sod($2)); came[$1] = end - $3 - $4 - $5; inovs[$1] = end - $5 }
      $1 == "replyepoch" { reply = ($2 - t0) * 1000 }
      END {
        printf "%d %s %s %s %s/%s %s/%s %s\n", try, ms(ofport), ms(reported), ms(bound),
          ms(came["flows-" first]), ms(inovs["flows-" first]), ms(came["flows-" second]), ms(inovs["flows-" second]), ms(reply)
      }'
  )
  tenet_log "  try $i: $row"
  echo "$row"
}
