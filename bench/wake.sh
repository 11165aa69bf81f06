#!/usr/bin/env bash
# Prints Hangar's wake from each sleep tier through the Flycast proxy against bare Docker
# starts of the same image, requests during a stop, the wake storm, warm throughput and
# the memory of sleeping machines, measured in one run. ROUNDS (5) and MEM_APPS (10).
# Needs root (Flycast routes, /proc of containerd's shims), Docker and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
CGO_ENABLED=0 go build -o "$dir/hangar" ./cmd/hangar
go run ./bench/wakebench -hangar "$dir/hangar" -n "${ROUNDS:-5}" -mem-apps "${MEM_APPS:-10}"
