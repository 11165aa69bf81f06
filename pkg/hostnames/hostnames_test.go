package hostnames

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func addrs(s ...string) []netip.Addr {
	out := make([]netip.Addr, len(s))
	for i, a := range s {
		out[i] = netip.MustParseAddr(a)
	}
	return out
}

func TestNames(t *testing.T) {
	tests := []struct {
		name string
		apps []App
		want []Entry
	}{
		{"no apps", nil, nil},
		{"an app with only Flycast addresses", []App{{Name: "demo", Flycast: addrs("fdaa:0:1::2", "fdaa:0:1::3")}},
			[]Entry{{"demo.flycast", addrs("fdaa:0:1::2", "fdaa:0:1::3")}}},
		{"started and stopped machines", []App{{Name: "demo", Flycast: addrs("fdaa:0:1::2"), Machines: []Machine{
			{ID: "a1", Addr: netip.MustParseAddr("fdaa:0:a::3"), Started: true},
			{ID: "b2", Addr: netip.MustParseAddr("fdaa:0:a::2"), Started: false},
			{ID: "c3", Addr: netip.MustParseAddr("fdaa:0:a::1"), Started: true},
		}}}, []Entry{
			{"a1.vm.demo.internal", addrs("fdaa:0:a::3")},
			{"b2.vm.demo.internal", addrs("fdaa:0:a::2")},
			{"c3.vm.demo.internal", addrs("fdaa:0:a::1")},
			{"demo.flycast", addrs("fdaa:0:1::2")},
			{"demo.internal", addrs("fdaa:0:a::1", "fdaa:0:a::3")},
		}},
		{"no started machine leaves out <app>.internal", []App{{Name: "demo", Machines: []Machine{
			{ID: "a1", Addr: netip.MustParseAddr("fdaa:0:a::3")},
		}}}, []Entry{{"a1.vm.demo.internal", addrs("fdaa:0:a::3")}}},
		{"unset and duplicate addresses are dropped", []App{{Name: "demo", Flycast: []netip.Addr{{}, netip.MustParseAddr("fdaa::2"), netip.MustParseAddr("fdaa::2")},
			Machines: []Machine{{ID: "a1", Started: true}}}}, []Entry{{"demo.flycast", addrs("fdaa::2")}}},
		{"apps sort by name", []App{{Name: "zed", Flycast: addrs("fdaa::1")}, {Name: "abe", Flycast: addrs("fdaa::2")}},
			[]Entry{{"abe.flycast", addrs("fdaa::2")}, {"zed.flycast", addrs("fdaa::1")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Names(tt.apps)
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
				t.Errorf("Names() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTable(t *testing.T) {
	tests := []struct {
		name    string
		entries []Entry
		want    string // one "addr names…" per line
		err     error
	}{
		{"nothing", nil, "", nil},
		{"a name without addresses adds no line", []Entry{{Name: "demo.internal"}}, "", nil},
		{"grouped by address, sorted, short names first", []Entry{
			{"x1.vm.demo.internal", addrs("fdaa:0:a::2")},
			{"demo.internal", addrs("fdaa:0:a::2")},
			{"demo.flycast", addrs("fdaa:0:1::2")},
		}, "fdaa:0:1::2 demo.flycast\nfdaa:0:a::2 demo.internal x1.vm.demo.internal", nil},
		{"duplicates collapse", []Entry{{"demo.flycast", addrs("fdaa::2", "fdaa::2")}, {"demo.flycast", addrs("fdaa::2")}},
			"fdaa::2 demo.flycast", nil},
		{"IPv4 is accepted", []Entry{{"demo.flycast", addrs("10.0.0.2")}}, "10.0.0.2 demo.flycast", nil},
		{"a bad name", []Entry{{"Demo.flycast", addrs("fdaa::2")}}, "", ErrInvalidName},
		{"an unset address", []Entry{{"demo.flycast", []netip.Addr{{}}}}, "", ErrInvalidAddr},
		{"an unspecified address", []Entry{{"demo.flycast", addrs("::")}}, "", ErrInvalidAddr},
		{"an address with a zone", []Entry{{"demo.flycast", addrs("fe80::1%eth0")}}, "", ErrInvalidAddr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := table(tt.entries)
			if !errors.Is(err, tt.err) {
				t.Fatalf("table() error = %v, want %v", err, tt.err)
			}
			var got []string
			for _, l := range lines {
				got = append(got, l.addr.String()+" "+strings.Join(l.names, " "))
			}
			if diff := cmp.Diff(tt.want, strings.Join(got, "\n")); diff != "" {
				t.Errorf("table() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"demo.flycast", true},
		{"demo.internal", true},
		{"5ded2e4597e823.vm.my-app-2.internal", true},
		{"flycast", false},
		{"internal", false},
		{".flycast", false},
		{"demo..flycast", false},
		{"demo.flycast.", false},
		{"Demo.flycast", false},
		{"de mo.flycast", false},
		{"demo\t.flycast", false},
		{"demo#x.flycast", false},
		{"-demo.flycast", false},
		{"demo-.flycast", false},
		{"de_mo.flycast", false},
		{"localhost", false},
		{"example.com", false},
		{"demo.flycast\nevil.flycast", false},
		{strings.Repeat("a", 63) + ".flycast", true},
		{strings.Repeat("a", 64) + ".flycast", false},
		{strings.Repeat("a.", 123) + "flycast", true}, // 253 characters
		{strings.Repeat("a.", 124) + "flycast", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validName(tt.name)
			if (err == nil) != tt.ok {
				t.Errorf("validName(%q) = %v, want ok %v", tt.name, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidName) {
				t.Errorf("validName(%q) = %v, want ErrInvalidName", tt.name, err)
			}
		})
	}
}

func TestValidID(t *testing.T) {
	tests := []struct {
		id string
		ok bool
	}{
		{"a", true},
		{"0123456789abcdef", true},
		{strings.Repeat("f", 32), true},
		{strings.Repeat("f", 33), false},
		{"", false},
		{"ABC", false},
		{"abg", false},
		{"ab cd", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if got := validID(tt.id); got != tt.ok {
				t.Errorf("validID(%q) = %v, want %v", tt.id, got, tt.ok)
			}
		})
	}
}
