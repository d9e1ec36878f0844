# `tenet bench compile [--ports N] [--chassis C] ...`: the compiler at scale. Tenet in process
# (tenet.ops.bench.CompileBench: store load through the planner, full specialization for every
# chassis, one-port increments), then, when ovn-central is installed (installed here when
# missing and possible), OVN 23.03's ovn-northd on the same topology (ops/lib/bench-compile-ovn.py).
# Sourced by ops/bin/tenet after env.sh and cluster.sh, once the modules are built.
#
# Progress goes to stderr; one JSON line, both systems' figures, to stdout. The two run one
# after the other, never together: each has the machine to itself (but for other users).
# TENET_BENCH_JAVA_OPTS replaces the benchmark JVM's options (default: ZGC, -Xmx4g; see
# docs/benchmarks.md for why).

bench_compile_java_opts() {
  local opts="-Xmx4g -XX:+UseZGC"
  # JDK 21 and 22 have generational ZGC behind a flag; 23 made it the only ZGC and later JDKs
  # refuse the flag.
  [ "$(java_feature_version "$JAVA_HOME")" -lt 23 ] && opts+=" -XX:+ZGenerational"
  echo "${TENET_BENCH_JAVA_OPTS:-$opts $TENET_JVM_FLAGS}"
}

bench_compile() {
  local a
  for a in "$@"; do
    case "$a" in -h|--help) "$JAVA_HOME/bin/java" -cp "$(tenet_classpath)" tenet.ops.bench.CompileBench --help; return ;; esac
  done
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/tenet-bench-compile-XXXXXX") || tenet_die "cannot create a temporary directory"
  # shellcheck disable=SC2064
  trap "rm -rf '$dir'" EXIT
  # shellcheck disable=SC2046
  "$JAVA_HOME/bin/java" $(bench_compile_java_opts) -cp "$(tenet_classpath)" tenet.ops.bench.CompileBench "$@" \
    > "$dir/tenet.json" || exit $?

  local ports chassis seed want_ovn ovn_increments
  read -r ports chassis seed want_ovn ovn_increments < <(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
print(t["ports"], t["chassis"], t["seed"], str(t["ovn_requested"]).lower(), t["ovn_increments"])' "$dir/tenet.json")
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
  python3 - "$dir/tenet.json" "$dir/ovn.json" "$ovn_note" <<'PY'
import json, os, sys
result = json.load(open(sys.argv[1]))
for key in ("ovn_requested", "ovn_increments"):
    result.pop(key, None)
if os.path.exists(sys.argv[2]) and os.path.getsize(sys.argv[2]) > 0:
    ovn = json.load(open(sys.argv[2]))
    result.update(ovn)
    result["ovn_converge_over_tenet_full"] = round(ovn["ovn_converge_s"] / result["tenet_full_s"], 1)
    result["ovn_incr_over_tenet_p99"] = round(ovn["ovn_incr_median_s"] * 1000 / result["tenet_incr_p99_ms"], 1)
else:
    result.update({"ovn_converge_s": None, "ovn_incr_median_s": None, "ovn": sys.argv[3]})
print(json.dumps(result, separators=(",", ":")))
PY
}
