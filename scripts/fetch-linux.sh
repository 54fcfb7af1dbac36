#!/usr/bin/env bash
# Downloads Debian's own Linux kernels, busybox-static and U-Boot for both boards
# from Debian's archive and lays them out for the Linux samples and the tests:
#
#   samples/linux-aarch64/build/Image        bookworm's arm64 kernel (decompressed vmlinuz)
#   samples/linux-aarch64/build/vmlinux      its ELF with symbols and DWARF (from the -dbg package)
#   samples/linux-aarch64/build/System.map   its symbols, from vmlinux
#   samples/linux-aarch64/build/initrd.cpio  busybox-static as /init, with a shell
#   samples/linux-riscv64/build/...          the same from trixie's riscv64 packages
#   .cache/debian/u-boot/...                 u-boot-qemu: qemu_arm64, qemu-riscv64_smode
#
# apt-get downloads with a private configuration: its own state, cache, sources
# and foreign architecture, in .cache/debian/apt. The host's apt stays as it was.
# Nothing downloaded is committed (build/ and .cache/ are ignored).
#
#   bash scripts/fetch-linux.sh           fetch what is missing
#   bash scripts/fetch-linux.sh --force   fetch again
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=$ROOT/.cache/debian
[ "${1:-}" = "--force" ] && rm -rf "$CACHE" samples/linux-*/build

# Runs apt-get or apt-cache (TOOL) for one Debian suite and architecture, entirely inside
# $CACHE/apt/<suite>-<arch>.
apt_for() {
  local tool=$1 suite=$2 arch=$3; shift 3
  local dir=$CACHE/apt/$suite-$arch
  mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$dir/etc/preferences.d"
  [ -f "$dir/sources.list" ] || echo "deb [arch=$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" >"$dir/sources.list"
  "$tool" -q \
    -o Dir::State="$dir" -o Dir::State::Lists="$dir/lists" -o Dir::State::status=/dev/null \
    -o Dir::Cache="$dir" -o Dir::Cache::archives="$dir/archives" \
    -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts="$dir/etc/preferences.d" \
    -o APT::Architecture="$arch" -o APT::Architectures::="$arch" \
    -o APT::Sandbox::User=root \
    "$@"
}

# Downloads PACKAGE (following a metapackage to the versioned package it depends on) and unpacks it in DEST.
fetch_package() {
  local suite=$1 arch=$2 package=$3 dest=$4
  local dir=$CACHE/apt/$suite-$arch
  [ -d "$dir/lists" ] && ls "$dir/lists"/*Packages* >/dev/null 2>&1 || apt_for apt-get "$suite" "$arch" update >/dev/null
  local name=$package
  if [[ $package == linux-image-* && $package != linux-image-[0-9]* ]]; then
    name=$(apt_for apt-cache "$suite" "$arch" show "$package:$arch" 2>/dev/null | sed -n 's/^Depends: *\(linux-image-[0-9][^ ,(]*\).*/\1/p' | head -1)
    [ -n "$name" ] || { echo "fetch-linux: $package ($suite, $arch) names no versioned kernel package" >&2; exit 1; }
  fi
  mkdir -p "$CACHE/debs" "$dest"
  (cd "$CACHE/debs" && apt_for apt-get "$suite" "$arch" download "$name:$arch" >/dev/null)
  local deb
  deb=$(ls -t "$CACHE/debs/${name}"_*.deb | grep -E "_($arch|all)\.deb$" | head -1)
  dpkg-deb -x "$deb" "$dest"
  echo "fetch-linux: $(basename "$deb")"
}

# A busybox initramfs: /init is busybox's init, which runs scripts/initramfs/etc/inittab.
make_initrd() {
  local busybox=$1 out=$2
  local tree
  tree=$(mktemp -d)
  mkdir -p "$tree/bin" "$tree/dev" "$tree/proc" "$tree/sys" "$tree/tmp"
  cp "$busybox" "$tree/bin/busybox"
  for applet in sh ls cat echo uname mount umount poweroff reboot dmesg ps; do ln -s busybox "$tree/bin/$applet"; done
  ln -s bin/busybox "$tree/init"
  cp -r "$ROOT/scripts/initramfs/etc" "$tree/etc"
  (cd "$tree" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$out"
  rm -rf "$tree"
}

# Extracts the kernel's vmlinux (with its DWARF) from the -dbg package of kernel package NAME into BUILD,
# and writes System.map from its symbols, as the kernel's build does.
kernel_symbols() {
  local suite=$1 arch=$2 name=$3 build=$4 nm=$5
  mkdir -p "$CACHE/debs"
  (cd "$CACHE/debs" && apt_for apt-get "$suite" "$arch" download "$name-dbg:$arch" >/dev/null)
  local deb
  deb=$(ls -t "$CACHE/debs/${name}-dbg"_*"_$arch.deb" | head -1)
  echo "fetch-linux: $(basename "$deb")"
  local tmp
  tmp=$(mktemp -d)
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './usr/lib/debug/boot/vmlinux-*'
  mv "$tmp"/usr/lib/debug/boot/vmlinux-* "$build/vmlinux"
  rm -rf "$tmp" "$deb"
  "$nm" -n "$build/vmlinux" | grep -v -e ' [aNUw] ' -e '\$x' -e '\$d' >"$build/System.map"
}

linux_sample() {
  local sample=$1 suite=$2 arch=$3 nm=$4
  local build=$ROOT/samples/$sample/build
  [ -f "$build/Image" ] && [ -f "$build/System.map" ] && [ -f "$build/vmlinux" ] && [ -f "$build/initrd.cpio" ] && return 0
  local unpack=$CACHE/unpack/$suite-$arch
  rm -rf "$unpack"
  fetch_package "$suite" "$arch" linux-image-"$arch" "$unpack/kernel"
  fetch_package "$suite" "$arch" busybox-static "$unpack/busybox"
  mkdir -p "$build"
  # arm64's boot/vmlinuz-* is a gzip-compressed Image; riscv64's boot/vmlinux-* is the Image itself.
  local image
  image=$(ls "$unpack"/kernel/boot/vmlinu[xz]-* | head -1)
  if gzip -t "$image" 2>/dev/null; then zcat "$image" >"$build/Image"; else cp "$image" "$build/Image"; fi
  local version
  version=$(basename "$image" | sed 's/^vmlinu[xz]-//')
  kernel_symbols "$suite" "$arch" "linux-image-$version" "$build" "$nm"
  # bookworm's busybox-static puts it in /bin, trixie's in /usr/bin.
  make_initrd "$(ls "$unpack"/busybox/bin/busybox "$unpack"/busybox/usr/bin/busybox 2>/dev/null | head -1)" "$build/initrd.cpio"
  rm -rf "$unpack"
}

u_boot() {
  local dest=$CACHE/u-boot
  [ -f "$dest/qemu_arm64/u-boot.bin" ] && [ -f "$dest/qemu-riscv64_smode/u-boot.bin" ] && return 0
  local unpack=$CACHE/unpack/u-boot
  rm -rf "$unpack"
  fetch_package bookworm arm64 u-boot-qemu "$unpack"
  mkdir -p "$dest/qemu_arm64" "$dest/qemu-riscv64_smode"
  cp "$unpack/usr/lib/u-boot/qemu_arm64/u-boot.bin" "$dest/qemu_arm64/"
  cp "$unpack/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin" "$dest/qemu-riscv64_smode/"
  rm -rf "$unpack"
}

linux_sample linux-aarch64 bookworm arm64 aarch64-linux-gnu-nm
linux_sample linux-riscv64 trixie riscv64 riscv64-linux-gnu-nm
u_boot
