package handoff

import (
	"os"
	"testing"
)

func TestNameOf(t *testing.T) {
	for _, tt := range []struct{ file, want string }{
		{"fd:api:", "api"},
		{"fd:dns udp [fdaa::3]:53%br-1:", "dns udp [fdaa::3]:53%br-1"},
		{"fd:proxy [fdaa:1:2:0:1::2]:80:", "proxy [fdaa:1:2:0:1::2]:80"},
	} {
		if got := nameOf(os.NewFile(uintptr(0), tt.file)); got != tt.want {
			t.Errorf("nameOf(%q) = %q, want %q", tt.file, got, tt.want)
		}
	}
}

// TestTakeOnce: an inherited file is taken once; what nobody took is closed by CloseRest.
func TestTakeOnce(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	left, other, _ := os.Pipe()
	defer other.Close()
	h := &Handoff{inherited: map[string]*os.File{"api": r, "gone": left}}
	if got := h.Take("api"); got != r {
		t.Fatalf("Take(api) = %v", got)
	}
	if got := h.Take("api"); got != nil {
		t.Fatalf("a second Take(api) = %v, want nil", got)
	}
	h.CloseRest()
	if _, err := left.Stat(); err == nil {
		t.Error("CloseRest left an untaken file open")
	}
	var none *Handoff
	if none.Take("api") != nil || none.Inherited() {
		t.Error("a nil Handoff inherited something")
	}
	r.Close()
}
