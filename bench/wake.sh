#!/usr/bin/env bash
# Prints the Flycast proxy's wake and warm figures against bare Docker, measured in one run.
# Needs root (Flycast routes), Docker and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/hangar
CGO_ENABLED=0 go build -o "$bin" ./cmd/hangar
go run ./bench/wakebench -hangar "$bin" -n "${ROUNDS:-5}"
rm -rf "$(dirname "$bin")"
