#!/usr/bin/env bash
# Prints what 999 sleeping apps beside one cost it: .flycast DNS answers per second, its
# cold wake and the agent's RSS, with the app alone and with APPS (1000) apps in the state.
# BEFORE=<commit> also measures that commit's binary, for a before/after.
# Needs root (Flycast routes) and Docker; installs Debian's dnsperf when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v dnsperf >/dev/null 2>&1; then
	echo "scale.sh: installing dnsperf" >&2
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsperf >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=0 go build -o "$tmp/hangar" ./cmd/hangar
if [ -n "${BEFORE:-}" ]; then
	mkdir "$tmp/before"
	git archive "$BEFORE" | tar -x -C "$tmp/before"
	(cd "$tmp/before" && CGO_ENABLED=0 go build -o "$tmp/hangar-before" ./cmd/hangar)
	echo "before ($BEFORE):"
	go run ./bench/scalebench -hangar "$tmp/hangar-before" -n "${ROUNDS:-5}" -apps "${APPS:-1000}"
	echo "after ($(git rev-parse --short HEAD)):"
fi
go run ./bench/scalebench -hangar "$tmp/hangar" -n "${ROUNDS:-5}" -apps "${APPS:-1000}"
