package ipalloc

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"net/netip"
	"testing"
)

func TestOrgRanges(t *testing.T) {
	tests := []struct {
		org, flycast, machines, gateway, orgDNS string
	}{
		{"fdaa:0:2a::/48", "fdaa:0:2a:0:1::/80", "fdaa:0:2a:a7b::/64", "fdaa:0:2a:a7b::1", "fdaa:0:2a::3"},
		{"fdaa:3:9018::/48", "fdaa:3:9018:0:1::/80", "fdaa:3:9018:a7b::/64", "fdaa:3:9018:a7b::1", "fdaa:3:9018::3"},
		{"fdaa:ffff:ffff::/48", "fdaa:ffff:ffff:0:1::/80", "fdaa:ffff:ffff:a7b::/64", "fdaa:ffff:ffff:a7b::1", "fdaa:ffff:ffff::3"},
	}
	for _, tt := range tests {
		t.Run(tt.org, func(t *testing.T) {
			org := netip.MustParsePrefix(tt.org)
			if err := ValidOrgPrefix(org); err != nil {
				t.Fatal(err)
			}
			check(t, "FlycastRange", FlycastRange(org).String(), tt.flycast)
			check(t, "MachineSubnet", MachineSubnet(org).String(), tt.machines)
			check(t, "MachineGateway", MachineGateway(org).String(), tt.gateway)
			check(t, "OrgDNSAddr", OrgDNSAddr(org).String(), tt.orgDNS)
		})
	}
}

func check(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

func TestFixedAddresses(t *testing.T) {
	check(t, "ULARange", ULARange().String(), "fdaa::/16")
	check(t, "DNSAddr", DNSAddr().String(), "fdaa::3")
}

func TestNewOrgPrefix(t *testing.T) {
	tests := []struct {
		name    string
		random  []byte
		want    string
		wantErr error
	}{
		{"small id", []byte{0, 0, 0, 0x2a}, "fdaa:0:2a::/48", nil},
		{"all ones", []byte{0xff, 0xff, 0xff, 0xff}, "fdaa:ffff:ffff::/48", nil},
		{"0:0 drawn again", []byte{0, 0, 0, 0, 0, 3, 0x90, 0x18}, "fdaa:3:9018::/48", nil},
		{"reader only zeros", make([]byte, 64), "", ErrInvalidPrefix},
		{"short read", []byte{1, 2}, "", io.ErrUnexpectedEOF},
		{"empty reader", nil, "", io.EOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewOrgPrefix(bytes.NewReader(tt.random))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err == nil {
				check(t, "prefix", got.String(), tt.want)
			}
		})
	}
}

func TestNewOrgPrefixRandomIsValid(t *testing.T) {
	for range 1000 {
		org, err := NewOrgPrefix(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if err := ValidOrgPrefix(org); err != nil {
			t.Fatal(err)
		}
		if org.Contains(DNSAddr()) {
			t.Fatalf("%s contains %s", org, DNSAddr())
		}
	}
}

func TestValidOrgPrefix(t *testing.T) {
	tests := []struct {
		name   string
		prefix netip.Prefix
		ok     bool
	}{
		{"valid", netip.MustParsePrefix("fdaa:0:2a::/48"), true},
		{"highest id", netip.MustParsePrefix("fdaa:ffff:ffff::/48"), true},
		{"network id 0:0", netip.MustParsePrefix("fdaa::/48"), false},
		{"a /64", netip.MustParsePrefix("fdaa:0:2a::/64"), false},
		{"a /32", netip.MustParsePrefix("fdaa:0::/32"), false},
		{"host bits set", netip.MustParsePrefix("fdaa:0:2a::1/48"), false},
		{"other ULA", netip.MustParsePrefix("fdab:0:2a::/48"), false},
		{"IPv4", netip.MustParsePrefix("10.0.0.0/8"), false},
		{"zero", netip.Prefix{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidOrgPrefix(tt.prefix)
			if tt.ok != (err == nil) || (err != nil && !errors.Is(err, ErrInvalidPrefix)) {
				t.Errorf("ValidOrgPrefix(%s) = %v, want ok=%v", tt.prefix, err, tt.ok)
			}
		})
	}
}

func TestIsFlycast(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"fdaa:0:2a:0:1::3", true},
		{"fdaa:0:2a:0:1::", true},
		{"fdaa:0:2a:0:1:ffff:ffff:ffff", true},
		{"fdaa:3:9018:0:1::7", true},
		{"fdaa:0:2a:0:2::3", false},
		{"fdaa:0:2a:0:0::3", false},
		{"fdaa:0:2a:1:1::3", false},
		{"fdaa:0:2a:a7b::2", false},
		{"fdaa::3", false},
		{"fdab:0:2a:0:1::3", false},
		{"fdaa:0:2a:0:1::3%eth0", false},
		{"10.0.0.1", false},
		{"::ffff:10.0.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := IsFlycast(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("IsFlycast(%s) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
	if IsFlycast(netip.Addr{}) {
		t.Error("IsFlycast(zero Addr) = true")
	}
}

func TestOrgOf(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"fdaa:0:2a:0:1::3", "fdaa:0:2a::/48"},
		{"fdaa:0:2a:a7b::2", "fdaa:0:2a::/48"},
		{"fdaa:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fdaa:ffff:ffff::/48"},
		{"fdaa::3", "fdaa::/48"},
		{"fdab::1", "invalid Prefix"},
		{"fe80::1", "invalid Prefix"},
		{"10.0.0.1", "invalid Prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			check(t, "OrgOf", OrgOf(netip.MustParseAddr(tt.addr)).String(), tt.want)
		})
	}
}

var (
	sinkBool   bool
	sinkPrefix netip.Prefix
)

func BenchmarkIsFlycast(b *testing.B) {
	a := netip.MustParseAddr("fdaa:0:2a:0:1::3")
	for b.Loop() {
		sinkBool = IsFlycast(a)
	}
}

func BenchmarkOrgOf(b *testing.B) {
	a := netip.MustParseAddr("fdaa:0:2a:a7b::2")
	for b.Loop() {
		sinkPrefix = OrgOf(a)
	}
}

func BenchmarkFlycastRange(b *testing.B) {
	for b.Loop() {
		sinkPrefix = FlycastRange(testOrg)
	}
}

func BenchmarkNewOrgPrefix(b *testing.B) {
	for b.Loop() {
		sinkPrefix, _ = NewOrgPrefix(rand.Reader)
	}
}
