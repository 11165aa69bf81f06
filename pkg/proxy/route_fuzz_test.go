package proxy

import (
	"strings"
	"testing"
)

// FuzzSplitHost: any Host header parses without panicking into a lower-case host with
// one trailing (FQDN) dot removed, and a port that is 80 unless the header names one.
func FuzzSplitHost(f *testing.F) {
	for _, s := range []string{"flycast-demo.flycast", "Flycast-Demo.flycast.:8080", "[fdaa::3]:53", ":", "a:99999", "x.flycast:-1", "", "[::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, hostport string) {
		host, port := splitHost(hostport)
		if host != strings.ToLower(host) || !strings.Contains(strings.ToLower(hostport), host) {
			t.Errorf("splitHost(%q) host = %q", hostport, host)
		}
		if !strings.Contains(hostport, ":") && port != 80 {
			t.Errorf("splitHost(%q) port = %d, want 80 without a port", hostport, port)
		}
	})
}
