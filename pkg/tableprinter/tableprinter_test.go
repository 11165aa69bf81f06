package tableprinter

import (
	"bytes"
	"testing"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name string
		tty  bool
		want string
	}{
		{"terminal pads columns", true, "VERSION IP               TYPE\nv6      fdaa:0:2a:0:1::3 private\n"},
		{"pipe separates with tabs", false, "VERSION\tIP\tTYPE\nv6\tfdaa:0:2a:0:1::3\tprivate\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			p := New(&buf, tt.tty, "Version", "IP", "Type")
			p.AddRow("v6", "fdaa:0:2a:0:1::3", "private")
			if err := p.Render(); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want {
				t.Errorf("got %q, want %q", buf.String(), tt.want)
			}
		})
	}
}
