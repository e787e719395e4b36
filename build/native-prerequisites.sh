#!/usr/bin/env bash
# What a Native AOT publish needs beyond the .NET SDK on Linux: a C toolchain to link with (clang, lld) and zlib's
# headers. Installs them from Debian's packages when missing (as root, or with sudo); does nothing when present.
set -euo pipefail

missing=()
command -v clang >/dev/null || missing+=(clang)
command -v ld.lld >/dev/null || missing+=(lld)
[ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "native build: installing ${missing[*]} (Debian packages)"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
