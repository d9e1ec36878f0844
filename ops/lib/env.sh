# Sourced by ops/bin/* : finds (or installs) what building and running Tenet needs on a Debian
# machine, and exports JAVA_HOME, MVN and TENET_ROOT. Prints what it does on stderr.

TENET_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export TENET_ROOT
TENET_MAVEN_VERSION=3.9.11

tenet_log() { printf '[tenet] %s\n' "$*" >&2; }
tenet_die() { printf '[tenet] error: %s\n' "$*" >&2; exit 1; }

tenet_apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null || tenet_die "missing packages (${missing[*]}) and no apt-get to install them"
  [ "$(id -u)" -eq 0 ] || tenet_die "missing packages (${missing[*]}): run as root or: sudo apt-get install ${missing[*]}"
  tenet_log "installing ${missing[*]}"
  if [ -z "${TENET_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || tenet_die "apt-get update failed"
    export TENET_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    tenet_die "apt-get install ${missing[*]} failed"
}

java_feature_version() { # prints 21 for a JDK 21 home
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

tenet_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_feature_version "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  local best="" best_v=0 home v
  for home in /usr/lib/jvm/*; do
    [ -x "$home/bin/javac" ] || continue
    v=$(java_feature_version "$home"); [ -n "$v" ] || continue
    # Prefer 21 (the target), else the newest above it.
    if [ "$v" -ge 21 ] && { [ "$best_v" -eq 0 ] || [ "$v" -eq 21 ] || { [ "$best_v" -ne 21 ] && [ "$v" -gt "$best_v" ]; }; }; then
      best=$home; best_v=$v
    fi
  done
  if [ -z "$best" ]; then
    # Debian 13 ships openjdk-21; Debian 12 ships none (install Temurin 21 from Adoptium's apt
    # repository, or any JDK >= 21 under /usr/lib/jvm, then run this again).
    if apt-cache show openjdk-21-jdk-headless >/dev/null 2>&1; then
      tenet_apt_install openjdk-21-jdk-headless
      tenet_find_jdk; return
    fi
    tenet_die "no JDK >= 21 under /usr/lib/jvm and this Debian offers none. Install one (e.g. Temurin 21: apt-get install temurin-21-jdk from Adoptium's repository) or set JAVA_HOME to a JDK >= 21."
  fi
  export JAVA_HOME=$best
}

tenet_find_maven() {
  local home="$HOME/.m2/tenet-tools/apache-maven-$TENET_MAVEN_VERSION"
  if [ ! -x "$home/bin/mvn" ]; then
    # The protobuf plugin needs Maven >= 3.9; Debian 12 ships 3.8. Bootstrap the newer one from
    # the same Maven repository everything else comes from, with the distro's Maven.
    command -v mvn >/dev/null || tenet_apt_install maven
    tenet_apt_install unzip
    tenet_log "fetching Maven $TENET_MAVEN_VERSION"
    mvn -q -B dependency:get -Dartifact="org.apache.maven:apache-maven:$TENET_MAVEN_VERSION:zip:bin" >&2 ||
      tenet_die "could not fetch Maven $TENET_MAVEN_VERSION"
    mkdir -p "$HOME/.m2/tenet-tools"
    unzip -q -o "$HOME/.m2/repository/org/apache/maven/apache-maven/$TENET_MAVEN_VERSION/apache-maven-$TENET_MAVEN_VERSION-bin.zip" \
      -d "$HOME/.m2/tenet-tools" || tenet_die "could not unpack Maven"
  fi
  MVN="$home/bin/mvn"
  export MVN
}

# How a tenet-agent's JVM runs, in the sandbox, the end-to-end test and `bench agent` alike: an
# agent is one thread feeding OVS, on a hypervisor whose cores are the VMs'. The serial collector
# (no GC threads besides its own) and C1 only (compiles in a fraction of C2's CPU): its first full
# set runs on a cold JIT, sharing the CPU with ovs-ofctl parsing it (docs/benchmarks.md "Agent").
# 1 GiB is a limit, not what it takes: room for about a million flows (docs/benchmarks.md "Agent").
tenet_agent_java_opts() {
  echo "${TENET_AGENT_JAVA_OPTS:--Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1} $TENET_JVM_FLAGS"
}

tenet_env() {
  tenet_find_jdk
  tenet_find_maven
  # Quiet the JDK's warnings about Netty's and protobuf's native and Unsafe use; JDK 21 does not
  # know the second flag and would refuse to start with it.
  # Logback's own status lines (every module brings a logback.xml, so it warns of several on one
  # classpath) go to stdout, where benches print their one JSON line.
  TENET_JVM_FLAGS="--enable-native-access=ALL-UNNAMED -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener"
  if [ "$(java_feature_version "$JAVA_HOME")" -ge 23 ]; then
    TENET_JVM_FLAGS+=" --sun-misc-unsafe-memory-access=allow"
  fi
  export TENET_JVM_FLAGS
  export MAVEN_OPTS="${MAVEN_OPTS:-} $TENET_JVM_FLAGS"
}
