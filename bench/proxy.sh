#!/usr/bin/env bash
# Prints the wake of a stopped app through `hangar proxy` (connection accepted → first byte)
# against the same wake through the app's Flycast address from the host and from a shell
# machine (hget http://<app>.flycast/, name lookup → first byte), and the ratios.
# Needs root (Flycast routes), Docker and Debian's busybox-static (the shell image).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/hangar
CGO_ENABLED=0 go build -o "$bin" ./cmd/hangar
go run ./bench/proxybench -hangar "$bin" -n "${ROUNDS:-5}"
rm -rf "$(dirname "$bin")"
