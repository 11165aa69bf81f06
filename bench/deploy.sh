#!/usr/bin/env bash
# Prints hangar deploy's wall time for one machine against the bare engine calls it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/hangar
go build -o "$bin" ./cmd/hangar
go run ./bench/deploybench -hangar "$bin" -n "${ROUNDS:-5}"
rm -rf "$(dirname "$bin")"
