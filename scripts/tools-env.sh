# shellcheck shell=bash
# Where the interop tools live, and how to install them. Source it (bash):
#
#   source scripts/tools-env.sh             # exports EDDY_CACHE, EDDY_PYTHON, EDDY_KAFKA_LIBS
#   eddy_install_interop_tools              # installs whatever is missing (idempotent; .ci/run calls it)
#
# After one install, a plain `npm test` finds the tools even without sourcing this file:
# tests/interop/harness/tools.ts looks in the same default places.
#
# Layout (all outside the checkout, reused across runs and clones):
#   $EDDY_CACHE                     default ${XDG_CACHE_HOME:-$HOME/.cache}/eddy
#   $EDDY_CACHE/venv                Python venv with the pins of tests/interop/clients/requirements.txt
#   $EDDY_CACHE/kafka-<ver>/libs    Apache Kafka broker + tools + clients, full runtime classpath
#   $EDDY_CACHE/m2                  Maven's local repository used to resolve it
#   $EDDY_CACHE/java-classes/<hash> compiled tests/interop/clients/java (made by the tests themselves)
# kcat comes from Debian's package `kcat` (on PATH, or EDDY_KCAT=<path>).

_eddy_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_eddy_versions="$_eddy_root/tests/interop/tools.versions"

_eddy_version() { sed -n "s/^$1=//p" "$_eddy_versions" | tail -n 1; }

EDDY_KAFKA_VERSION="$(_eddy_version KAFKA_VERSION)"
EDDY_KAFKA_SCALA_VERSION="$(_eddy_version KAFKA_SCALA_VERSION)"
export EDDY_CACHE="${EDDY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eddy}"
export EDDY_PYTHON="${EDDY_PYTHON:-$EDDY_CACHE/venv/bin/python}"
export EDDY_KAFKA_LIBS="${EDDY_KAFKA_LIBS:-$EDDY_CACHE/kafka-$EDDY_KAFKA_VERSION/libs}"

_eddy_log() { printf '[tools] %s\n' "$*" >&2; }

_eddy_as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    _eddy_log "need root for: $*"; return 1
  fi
}

# Debian packages: kcat always; a JDK and Maven only if this machine lacks them.
eddy_install_apt_tools() {
  local missing=()
  command -v kcat >/dev/null 2>&1 || missing+=(kcat)
  command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  if [ "${#missing[@]}" -eq 0 ]; then return 0; fi
  _eddy_log "apt-get install ${missing[*]}"
  _eddy_as_root apt-get update -qq
  _eddy_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Python venv with kafka-python and confluent-kafka, pinned. Re-installs only when the pins change.
eddy_install_python_clients() {
  local venv="$EDDY_CACHE/venv" req="$_eddy_root/tests/interop/clients/requirements.txt"
  local stamp="$venv/.eddy-requirements"
  if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && cmp -s "$req" "$stamp" \
    && "$venv/bin/python" -c 'import kafka, confluent_kafka' >/dev/null 2>&1; then
    return 0
  fi
  local py="${EDDY_BASE_PYTHON:-python3}"
  _eddy_log "creating $venv with $("$py" --version 2>&1)"
  mkdir -p "$EDDY_CACHE"
  [ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
  cp "$req" "$stamp"
}

# Apache Kafka jars from Maven Central: a generated pom + dependency:copy-dependencies.
eddy_install_kafka_libs() {
  local ver="$EDDY_KAFKA_VERSION" scala="$EDDY_KAFKA_SCALA_VERSION"
  local home="$EDDY_CACHE/kafka-$ver" libs="$EDDY_KAFKA_LIBS"
  local slf4j log4j
  slf4j="$(_eddy_version SLF4J_VERSION)"
  log4j="$(_eddy_version LOG4J_VERSION)"
  mkdir -p "$home"
  local pom_new="$home/pom.xml.new"
  cat >"$pom_new" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.eddy.interop</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>$ver</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_$scala</artifactId><version>$ver</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$ver</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-clients</artifactId><version>$ver</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>$slf4j</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>$log4j</version></dependency>
  </dependencies>
</project>
EOF
  if [ -f "$libs/.complete" ] && cmp -s "$pom_new" "$libs/.complete"; then
    rm -f "$pom_new"
    return 0
  fi
  mv "$pom_new" "$home/pom.xml"
  _eddy_log "resolving Apache Kafka $ver from Maven Central into $libs"
  rm -rf "$libs"
  if ! mvn -B -q -Dstyle.color=never -f "$home/pom.xml" -Dmaven.repo.local="$EDDY_CACHE/m2" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs" >"$home/mvn.log" 2>&1; then
    cat "$home/mvn.log" >&2
    _eddy_log "Maven could not resolve Apache Kafka $ver (log: $home/mvn.log)"
    return 1
  fi
  ls "$libs"/kafka_"$scala"-"$ver".jar "$libs"/kafka-tools-"$ver".jar "$libs"/kafka-clients-"$ver".jar >/dev/null
  cp "$home/pom.xml" "$libs/.complete"
}

# --- GUI end-to-end tests (tests/e2e): Debian's Chromium, driven by playwright-core. ------------
# `npx playwright install` cannot download browsers here, so the e2e suite uses the system one.
eddy_install_browser() {
  if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then return 0; fi
  _eddy_log "apt-get install chromium"
  _eddy_as_root apt-get update -qq
  _eddy_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

eddy_install_interop_tools() {
  eddy_install_apt_tools
  eddy_install_python_clients
  eddy_install_kafka_libs
  eddy_install_browser
}
