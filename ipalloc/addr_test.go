package ipalloc

import (
	"net/netip"
	"testing"
)

func TestLastAddr(t *testing.T) {
	tests := []struct{ prefix, want string }{
		{"fdaa:0:2a:a7b::/64", "fdaa:0:2a:a7b:ffff:ffff:ffff:ffff"},
		{"fdaa:0:2a:0:1::/80", "fdaa:0:2a:0:1:ffff:ffff:ffff"},
		{"fdaa:0:2a::/120", "fdaa:0:2a::ff"},
		{"fdaa:0:2a::/127", "fdaa:0:2a::1"},
		{"fdaa:0:2a::5/128", "fdaa:0:2a::5"},
		{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
		{"8000::/1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
		{"::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			check(t, "lastAddr", lastAddr(netip.MustParsePrefix(tt.prefix)).String(), tt.want)
		})
	}
}

func TestAddAddr(t *testing.T) {
	tests := []struct {
		name, addr string
		n          uint64
		want       string
	}{
		{"zero", "fdaa::1", 0, "fdaa::1"},
		{"small", "fdaa:0:2a:0:1::", 3, "fdaa:0:2a:0:1::3"},
		{"carry into high half", "fdaa::ffff:ffff:ffff:ffff", 1, "fdaa:0:0:1::"},
		{"largest step", "fdaa::1", ^uint64(0), "fdaa:0:0:1::"},
		{"wraps past the top", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "::"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, "addAddr", addAddr(netip.MustParseAddr(tt.addr), tt.n).String(), tt.want)
		})
	}
}

func TestOffsetIn(t *testing.T) {
	tests := []struct {
		prefix, addr string
		want         uint64
	}{
		{"fdaa:0:2a:0:1::/80", "fdaa:0:2a:0:1::", 0},
		{"fdaa:0:2a:0:1::/80", "fdaa:0:2a:0:1::3", 3},
		{"fdaa:0:2a:0:1::/80", "fdaa:0:2a:0:1:ffff:ffff:ffff", 1<<48 - 1},
		{"fdaa:0:2a:a7b::/64", "fdaa:0:2a:a7b:ffff:ffff:ffff:ffff", ^uint64(0)},
		{"ffff:ffff:ffff:ffff::/64", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ^uint64(0)},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			got := offsetIn(netip.MustParsePrefix(tt.prefix), netip.MustParseAddr(tt.addr))
			if got != tt.want {
				t.Errorf("offsetIn = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestU128RoundTrip(t *testing.T) {
	for _, s := range []string{"::", "::1", "fdaa:0:2a:0:1::3", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"} {
		a := netip.MustParseAddr(s)
		if got := u128From(a).addr(); got != a {
			t.Errorf("round trip of %s gave %s", a, got)
		}
	}
}

func BenchmarkLastAddr(b *testing.B) {
	p := netip.MustParsePrefix("fdaa:0:2a:0:1::/80")
	var a netip.Addr
	for b.Loop() {
		a = lastAddr(p)
	}
	_ = a
}
