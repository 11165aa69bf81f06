package dns

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestUpstreamsFromResolvConf(t *testing.T) {
	ours := []netip.Addr{netip.MustParseAddr("fdaa::3"), netip.MustParseAddr("fdaa:0:2a::3")}
	tests := []struct {
		name, conf string
		want       []string // nil: ErrNoUpstreams
	}{
		{"systemd-resolved stub kept", "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n", []string{"127.0.0.53:53"}},
		{"several in order", "nameserver 1.1.1.1\nnameserver 2606:4700:4700::1111\n", []string{"1.1.1.1:53", "[2606:4700:4700::1111]:53"}},
		{"our addresses skipped", "nameserver fdaa::3\nnameserver fdaa:0:2a::3\nnameserver 9.9.9.9\n", []string{"9.9.9.9:53"}},
		{"only ours", "nameserver fdaa::3\n", nil},
		{"unspecified skipped", "nameserver 0.0.0.0\nnameserver ::\nnameserver 8.8.8.8\n", []string{"8.8.8.8:53"}},
		{"comments and junk", "# nameserver 10.0.0.1\n; x\nnameserver 10.0.0.2 # home\nnameserver bogus\ndomain lan\n", []string{"10.0.0.2:53"}},
		{"duplicates once", "nameserver 10.0.0.2\nnameserver ::ffff:10.0.0.2\n", []string{"10.0.0.2:53"}},
		{"link-local keeps its zone", "nameserver fe80::1%eth0\n", []string{"[fe80::1%eth0]:53"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "resolv.conf")
			if err := os.WriteFile(path, []byte(tt.conf), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := UpstreamsFromResolvConf(path, ours...)
			if tt.want == nil {
				if !errors.Is(err, ErrNoUpstreams) {
					t.Errorf("err = %v, want ErrNoUpstreams", err)
				}
				return
			}
			var want []netip.AddrPort
			for _, s := range tt.want {
				want = append(want, netip.MustParseAddrPort(s))
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateComparable(netip.AddrPort{})); err != nil || diff != "" {
				t.Errorf("err = %v, upstreams (-want +got):\n%s", err, diff)
			}
		})
	}
}

func TestUpstreamsFromMissingResolvConf(t *testing.T) {
	_, err := UpstreamsFromResolvConf(filepath.Join(t.TempDir(), "nope"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want a not-exist error", err)
	}
}
