#!/usr/bin/env bash
# Installs what building and testing need on a fresh Debian machine that has the Swift toolchain:
# the SQLite headers (libsqlite3-dev, found through pkg-config), pkg-config itself, curl and python3.
# Safe to run repeatedly: it installs only what is missing.
set -euo pipefail

missing=()
pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v python3 >/dev/null 2>&1 || missing+=(python3)

if ((${#missing[@]} > 0)); then
    echo "install-deps: installing ${missing[*]}" >&2
    sudo_cmd=()
    if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "install-deps: the Swift toolchain (6.0 or later) must be on PATH" >&2
    exit 1
fi
