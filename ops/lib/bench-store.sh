# `tenet bench store [--quick]`: Tenet's store (real tenet-controller processes) against etcd 3.4
# (real etcd processes), linearizable writes and leader failover, on loopback. Sourced by
# ops/bin/tenet after env.sh and cluster.sh, once the modules are built.
#
# Needs Debian's etcd-server (etcd 3.4, /usr/bin/etcd): installed here when missing. Progress goes
# to stderr; the result tables and, as the last line, one JSON object to stdout. Every process the
# benchmark starts is stopped by PID and its temporary directory removed, also on failure or Ctrl-C.
# Arguments are StoreBench's: [--quick] [--etcd FILE]; a bad one exits 2.

bench_store() {
  tenet_apt_install etcd-server
  # The controllers it starts use the class-data archive of this build (ops/lib/cluster.sh).
  "$JAVA_HOME/bin/java" $(tenet_java_opts) -Dtenet.controller.cds-archive="$CDS_ARCHIVE" -cp "$(tenet_classpath)" \
    tenet.ops.bench.StoreBench "$@"
}
