# `tenet bench agent --flows N`: N flows into a private ovs-vswitchd through a real tenet-agent,
# against raw `ovs-ofctl --bundle add-flows` in the same run, then an agent restart with nothing
# changed. Sourced by ops/bin/tenet after env.sh, once the modules are built. Needs root (network
# namespace) and Open vSwitch (installed here when missing). Progress to stderr, one JSON line
# to stdout. Everything started is stopped by PID and its temporary directory removed.

bench_agent() {
  tenet_apt_install openvswitch-switch iproute2
  # 3 GiB: at a million flows the stand-in controller holds them as objects and as pages of bytes.
  "$JAVA_HOME/bin/java" ${TENET_JAVA_OPTS:--Xmx3g $TENET_JVM_FLAGS} -Dtenet.bench.agent-java-opts="$(tenet_agent_java_opts)" \
    -cp "$(tenet_classpath)" tenet.ops.bench.AgentBench "$@"
}
