#!/usr/bin/env bash
# Proves the README on a truly fresh Debian 12 machine: builds a bare root with
# debootstrap, gives it what a new machine of this kind comes with (Node 20 and
# its npm, python3, make, g++, git) and nothing more, copies a clean clone of
# this repository's HEAD into it, and runs the README's two commands there in a
# chroot:
#   1. `bash scripts/setup.sh && npm start`: waits until code-server answers on
#      its port with the extension installed, then stops it;
#   2. `bash scripts/setup.sh && npm test`: the whole suite.
# It prints the test summary and exits non-zero on any failure or skipped test.
# It needs root (debootstrap, chroot, mounts) and takes about 20 minutes here;
# run it before resolving anything that changes setup.
#
#   bash scripts/fresh-machine.sh [ROOT_DIR]     (default /var/tmp/hvisor-fresh-root)
#
# Logs go to out/fresh-machine/ in this repository.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-/var/tmp/hvisor-fresh-root}
logs="$repo/out/fresh-machine"
port=18080
mirror=http://deb.debian.org/debian

[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: run as root (debootstrap, chroot and mounts need it)" >&2; exit 2; }
command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; }

unmount() {
  for m in dev/pts dev/shm dev proc; do
    mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"
  done
  return 0
}
trap unmount EXIT
unmount
rm -rf "$root" "$logs"
mkdir -p "$root" "$logs"

echo "fresh-machine: debootstrap bookworm into $root"
debootstrap --variant=minbase --include=python3,make,g++,git,ca-certificates bookworm "$root" "$mirror" >"$logs/debootstrap.log" 2>&1 ||
  { tail -20 "$logs/debootstrap.log" >&2; exit 1; }

# The machine's Debian sources (bookworm, its updates and security), name servers, the
# certificate authorities it trusts beyond Debian's (its network's egress proxy signs with
# one) and npm settings.
rm -f "$root/etc/apt/sources.list"
cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/"
cp /etc/resolv.conf "$root/etc/resolv.conf"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >>"$logs/debootstrap.log" 2>&1
fi
for f in /etc/npmrc /usr/etc/npmrc /root/.npmrc; do
  [ -f "$f" ] && mkdir -p "$root$(dirname "$f")" && cp "$f" "$root$f"
done

# Node 20 is not packaged by Debian 12: the files of the machine's nodejs package, and
# npm's whole folder, which the machine upgrades.
dpkg -L nodejs | while read -r f; do
  if [ -f "$f" ] || [ -L "$f" ]; then mkdir -p "$root$(dirname "$f")" && cp -a "$f" "$root$f"; fi
done
rm -rf "$root/usr/lib/node_modules/npm"
mkdir -p "$root/usr/lib/node_modules"
cp -a /usr/lib/node_modules/npm "$root/usr/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"

# A clean clone of what is committed.
git clone --quiet --no-local "$repo" "$root/root/hvisor-debug"
echo "fresh-machine: cloned $(git -C "$repo" rev-parse --short HEAD)"

mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
# Terminals (ptys), which a machine has and the runner's raw-mode test opens; the bind of /dev does not carry them.
mount --bind /dev/pts "$root/dev/pts"

in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "cd /root/hvisor-debug && $1"
}

echo "fresh-machine: bash scripts/setup.sh && npm start  (log: $logs/start.log)"
# Its own process group, so the whole job can be stopped once it serves.
setsid bash -c "$(declare -f in_root); root=$root; in_root 'bash scripts/setup.sh && npm start -- --port $port'" >"$logs/start.log" 2>&1 &
start_pid=$!
served=""
for _ in $(seq 1 720); do
  if grep -q "hvisor-debug is installed in code-server" "$logs/start.log" &&
    curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz"; then
    served=yes
    break
  fi
  kill -0 "$start_pid" 2>/dev/null || break
  sleep 5
done
kill -TERM -- "-$start_pid" 2>/dev/null || true
wait "$start_pid" 2>/dev/null || true
pkill -f -- "--bind-addr 127.0.0.1:$port" 2>/dev/null || true
if [ -z "$served" ]; then
  echo "fresh-machine: npm start did not serve code-server with the extension on port $port:" >&2
  tail -30 "$logs/start.log" >&2
  exit 1
fi
echo "fresh-machine: code-server served the extension on port $port"

echo "fresh-machine: bash scripts/setup.sh && npm test  (log: $logs/test.log)"
status=0
in_root "bash scripts/setup.sh && npm test" >"$logs/test.log" 2>&1 || status=$?
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$logs/test.log" | tail -1 || true)
grep -E '^# (failed|skipped|todo): ' "$logs/test.log" || true
echo "fresh-machine: $(date -u +%F): ${summary:-no test summary} (npm test exit $status)"
[ -n "$summary" ] || exit 1
[ "$status" -eq 0 ] || exit 1
case "$summary" in *" 0 failed, 0 skipped"*) ;; *) exit 1 ;; esac
