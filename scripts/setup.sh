#!/usr/bin/env bash
# Installs what hvisor-debug's build, tests, benchmarks and `npm start` need on a
# fresh Debian machine: the Debian packages that scripts/external-tools.mjs lists
# (cross toolchains, QEMU and the other oracles, Chromium, what code-server needs
# to install offline), then the npm packages, then builds the C samples and fetches
# Debian's kernels and U-Boot (scripts/fetch-linux.sh).
#
#   bash scripts/setup.sh                   install
#   bash scripts/setup.sh --print-packages  print the Debian packages it installs
set -euo pipefail
cd "$(dirname "$0")/.."

# A failure of the list stops setup (set -e); a here-string needs no /dev/fd, which a bare chroot may lack.
list=$(node scripts/tools.mjs packages)
mapfile -t packages <<<"$list"
if [ "${1:-}" = "--print-packages" ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # No recommends: each package this needs is listed, so nothing else comes along.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
npm ci --no-audit --no-fund
node scripts/tools.mjs check
# The C samples' ELF images (samples/*-c/build/), which `npm start` opens and the tests run.
node scripts/build-samples.mjs
# Debian's kernels, busybox and U-Boot (samples/linux-*/build/, .cache/debian/), which the Linux
# samples boot and the tests run.
bash scripts/fetch-linux.sh
