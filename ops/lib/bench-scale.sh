# `tenet bench scale [--ports N] [--chassis C] ...`: the controllers' real path at scale, as
# ovn-heater measures OVN. Tenet (tenet.ops.bench.ScaleBench): 3 tenet-controller processes and C
# simulated agents (real southbound streams, flows kept as cookies, no OVS) in the bench's JVM;
# the topology of `bench compile` written through the northbound API; converge, one-port
# additions, failover. Then, when ovn-central is installed (installed here when missing and
# possible), OVN 23.03's ovn-northd on the same topology (ops/lib/bench-compile-ovn.py).
# Sourced by ops/bin/tenet after env.sh and cluster.sh, once the modules are built.
#
# Progress goes to stderr; one JSON line, both systems' figures, to stdout. The two run one
# after the other, never together. TENET_BENCH_JAVA_OPTS replaces the bench JVM's options (the
# agents: ZGC so that no pause of theirs shows in a latency, -Xmx4g); TENET_CONTROLLER_JAVA_OPTS
# the controllers' (default: tenet_java_opts' -Xmx1g raised to -Xmx4g, the default collector).
# The controllers start with the class-data archive `tenet controller` uses (cluster.sh): without
# it a restarted controller took 2.9 s instead of 1.7 s to reach its main method's first line.

bench_scale_java_opts() {
  local opts="-Xmx4g -XX:+UseZGC"
  # JDK 21 and 22 have generational ZGC behind a flag; 23 made it the only ZGC and later JDKs
  # refuse the flag.
  [ "$(java_feature_version "$JAVA_HOME")" -lt 23 ] && opts+=" -XX:+ZGenerational"
  echo "${TENET_BENCH_JAVA_OPTS:-$opts $TENET_JVM_FLAGS}"
}

bench_scale_controller_java_opts() {
  echo "${TENET_CONTROLLER_JAVA_OPTS:--Xmx4g $TENET_JVM_FLAGS}"
}

bench_scale() {
  local a
  for a in "$@"; do
    case "$a" in -h|--help) "$JAVA_HOME/bin/java" -cp "$(tenet_classpath)" tenet.ops.bench.ScaleBench --help; return ;; esac
  done
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/tenet-bench-scale-XXXXXX") || tenet_die "cannot create a temporary directory"
  # shellcheck disable=SC2064
  trap "rm -rf '$dir'" EXIT
  local status=0
  # shellcheck disable=SC2046
  "$JAVA_HOME/bin/java" $(bench_scale_java_opts) \
    -Dtenet.bench.controller-java-opts="$(bench_scale_controller_java_opts)" -Dtenet.controller.cds-archive="$CDS_ARCHIVE" \
    -cp "$(tenet_classpath)" tenet.ops.bench.ScaleBench "$@" > "$dir/tenet.json" || status=$?
  [ -s "$dir/tenet.json" ] || exit $(( status == 0 ? 1 : status ))
  [ "$status" -eq 0 ] || [ "$status" -eq 1 ] || exit "$status" # 2: a bad command line, said on stderr

  local ports chassis seed want_ovn ovn_increments
  read -r ports chassis seed want_ovn ovn_increments < <(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
print(t["ports"], t["chassis"], t["seed"], str(t["ovn_requested"]).lower(), t["ovn_increments"])' "$dir/tenet.json")
  # OVN runs even when the Tenet side stopped on the way (status 1): its figures do not depend on it.
  local ovn_note="not run (--no-ovn)"
  if [ "$want_ovn" = true ]; then
    if ! command -v ovn-northd >/dev/null; then
      ( tenet_apt_install ovn-central ovn-host openvswitch-switch ) || true
    fi
    if command -v ovn-northd >/dev/null; then
      python3 "$TENET_ROOT/ops/lib/bench-compile-ovn.py" --ports "$ports" --chassis "$chassis" \
        --increments "$ovn_increments" --seed "$seed" > "$dir/ovn.json" || tenet_die "the OVN side failed"
      ovn_note=""
    else
      ovn_note="not run: ovn-central is not installed and could not be"
      tenet_log "OVN $ovn_note; Tenet's figures only"
    fi
  fi
  local commit
  commit=$(git -C "$TENET_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [ -z "$(git -C "$TENET_ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] || commit+="-dirty"
  python3 - "$dir/tenet.json" "$dir/ovn.json" "$ovn_note" "$commit" <<'PY'
import json, os, sys
result = json.load(open(sys.argv[1]))
for key in ("ovn_requested", "ovn_increments"):
    result.pop(key, None)
result["commit"] = sys.argv[4]
if os.path.exists(sys.argv[2]) and os.path.getsize(sys.argv[2]) > 0:
    ovn = json.load(open(sys.argv[2]))
    result["ovn_version"] = ovn["ovn_version"]
    result["ovn_converge_s"] = ovn["ovn_converge_s"]
    # lsp-add --wait=sb: northd has put the port's logical flows in the SB, before any hypervisor
    # has a flow of it (no ovn-controller runs).
    result["ovn_port_add_s"] = ovn["ovn_incr_median_s"]
    result["ovn_port_add_runs_s"] = ovn["ovn_incr_s"]
    result["ovn_logical_flows"] = ovn["ovn_logical_flows"]
    result["ovn_northd_rss_mib"] = ovn["ovn_northd_rss_mib"]
    result["ovn_sb_rss_mib"] = ovn["ovn_sb_rss_mib"]
    if result.get("converge_s"):
        result["ovn_converge_over_converge"] = round(ovn["ovn_converge_s"] / result["converge_s"], 3)
else:
    result.update({"ovn_converge_s": None, "ovn_port_add_s": None, "ovn": sys.argv[3]})
print(json.dumps(result, separators=(",", ":")))
PY
  exit "$status"
}
