#!/usr/bin/env bash
# Installs every Debian 12 package portwarden needs to build, test and run. Idempotent: when
# everything is present it only checks (well under a second) and installs nothing.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake ninja-build make pkg-config git python3
  # libraries (DESIGN.md section 3; reasons in docs/DEPENDENCIES.md)
  libboost1.81-dev libssl-dev openssl libsqlite3-dev sqlite3 libpq-dev
  nlohmann-json3-dev libsimdjson-dev libcli11-dev libtomlplusplus-dev
  libspdlog-dev libfmt-dev libeigen3-dev graphviz libgraphviz-dev libexpat1-dev
  libxml2-utils
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev curl wrk
  # the gateway's tests and benchmark: a real sshd and ssh as upstream and client, socat as a relay
  openssh-server openssh-client socat
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done" >&2
