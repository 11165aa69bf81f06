package dns

import (
	"bufio"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strings"
)

// UpstreamsFromResolvConf reads the nameservers of a resolv.conf file as
// upstreams on port 53, in order and without duplicates. It leaves out the
// addresses in exclude (this server's own, so that it never forwards to
// itself) and unspecified ones (0.0.0.0 and :: mean "this host" in
// resolv.conf, which could be us). Other loopback resolvers are kept:
// 127.0.0.53 is systemd-resolved's stub and 127.0.0.1 a local dnsmasq or
// unbound; exclude them only when this server listens there on port 53.
// It fails with ErrNoUpstreams when no nameserver remains.
func UpstreamsFromResolvConf(path string, exclude ...netip.Addr) ([]netip.AddrPort, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading resolver configuration: %w", err)
	}
	defer f.Close()
	var ups []netip.AddrPort
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		a, ok := nameserver(sc.Text())
		if !ok || a.IsUnspecified() || slices.ContainsFunc(exclude, sameAddr(a)) {
			continue
		}
		if ap := netip.AddrPortFrom(a, 53); !slices.Contains(ups, ap) {
			ups = append(ups, ap)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(ups) == 0 {
		return nil, fmt.Errorf("reading %s: %w", path, ErrNoUpstreams)
	}
	return ups, nil
}

// nameserver parses a "nameserver <addr>" line; comments start with # or ;.
func nameserver(line string) (netip.Addr, bool) {
	if i := strings.IndexAny(line, "#;"); i >= 0 {
		line = line[:i]
	}
	fields := strings.Fields(line)
	if len(fields) < 2 || fields[0] != "nameserver" {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(fields[1])
	return a.Unmap(), err == nil
}

// sameAddr matches addresses equal to a, ignoring zones and IPv4 mapping.
func sameAddr(a netip.Addr) func(netip.Addr) bool {
	a = a.WithZone("")
	return func(b netip.Addr) bool { return b.Unmap().WithZone("") == a }
}
