#!/usr/bin/env bash
# Installs what hvisor-debug's build and tests need on a fresh Debian machine:
# the cross toolchains and QEMU used as test oracles, dtc, what code-server
# needs to install offline (GSSAPI headers, ripgrep), Chromium for the
# end-to-end test, and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu
  gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
  qemu-system-misc qemu-user opensbi device-tree-compiler
  libkrb5-dev ripgrep chromium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
npm ci --no-audit --no-fund
