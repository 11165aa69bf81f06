#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks use, when they are missing.
set -euo pipefail
need=()
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)  # the static one: it goes into FROM scratch test images
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v dig >/dev/null 2>&1 || need+=(dnsutils)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v dbus-daemon >/dev/null 2>&1 || need+=(dbus-daemon)  # a private bus for pkg/hostnames' fake systemd-resolved
command -v curl >/dev/null 2>&1 || need+=(curl)  # e2e: the host reaches apps by name as a user does
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "test-deps: missing ${need[*]}; install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "test-deps: installing ${need[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
