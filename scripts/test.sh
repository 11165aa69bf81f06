#!/usr/bin/env bash
# The whole test suite: what CI runs and what the README tells a newcomer to run.
# Lint gates (gofmt, go mod tidy, vet), every test with -race, every benchmark once.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/test-deps.sh

echo "==> gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi

echo "==> go mod tidy"
cp go.mod /tmp/hangar-go.mod.$$; cp go.sum /tmp/hangar-go.sum.$$
go mod tidy
if ! cmp -s go.mod /tmp/hangar-go.mod.$$ || ! cmp -s go.sum /tmp/hangar-go.sum.$$; then
  echo "go mod tidy changed go.mod/go.sum; run it and commit"; git --no-pager diff -- go.mod go.sum || true
  cp /tmp/hangar-go.mod.$$ go.mod; cp /tmp/hangar-go.sum.$$ go.sum; rm -f /tmp/hangar-go.*.$$; exit 1
fi
rm -f /tmp/hangar-go.*.$$

echo "==> go vet"
go vet ./...

echo "==> go test -race"
# The end-to-end tests run after the others, on their own: they own the host's network
# and the Docker engine for the time they run (routes, nftables, hosts file, bridges),
# and timing-sensitive ones (agent restart under load) should not share the 2 cores with
# the property tests.
go test -race -count=1 -timeout 20m $(go list ./... | grep -v '/e2e$')
go test -race -count=1 -timeout 20m ./e2e

echo "==> benchmarks (once each)"
bench_out=$(mktemp)
if ! go test -run '^$' -bench . -benchtime 1x -timeout 10m ./... >"$bench_out" 2>&1; then
  cat "$bench_out"; rm -f "$bench_out"; exit 1
fi
grep -E '^Benchmark' "$bench_out" || true
rm -f "$bench_out"
