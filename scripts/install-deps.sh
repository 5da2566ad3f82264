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
  # the check that docs/openapi.yaml is a well-formed document
  python3-yaml
  # the console's end-to-end tests (tests/web): Debian's Chromium, driven by playwright-core
  chromium nodejs npm
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

# A machine that already has Node.js and npm from elsewhere (not Debian's packages) keeps them.
if command -v node >/dev/null && command -v npm >/dev/null; then
  kept=()
  for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || kept+=("$p"); done
  missing=("${kept[@]}")
fi

if [[ ${#missing[@]} -gt 0 ]]; then
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
fi

# playwright-core for the console's tests, exactly as tests/web/package-lock.json pins it (it
# drives the Chromium above and downloads no browser of its own).
WEB_TESTS="$(dirname "$0")/../tests/web"
if [[ ! -f $WEB_TESTS/node_modules/playwright-core/package.json ||
      $WEB_TESTS/package-lock.json -nt $WEB_TESTS/node_modules/.package-lock.json ]]; then
  echo "install-deps: npm ci in tests/web" >&2
  (cd "$WEB_TESTS" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
