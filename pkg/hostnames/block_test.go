package hostnames

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	blockA = "# BEGIN hangar a1 — managed by the hangar agent of /home/u/.hangar; removed when it stops. Do not edit.\n" +
		"fdaa::2\tdemo.flycast\n" +
		"# END hangar a1\n"
	blockB = "# BEGIN hangar b2 — managed by the hangar agent of /tmp/t; removed when it stops. Do not edit.\n" +
		"fdaa::3\tother.flycast\n" +
		"# END hangar b2\n"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    doc
	}{
		{"empty", "", nil},
		{"lines only", "127.0.0.1 localhost\n::1 localhost", doc{{text: "127.0.0.1 localhost\n"}, {text: "::1 localhost"}}},
		{"two blocks between lines", "a\n" + blockA + "b\n" + blockB, doc{{text: "a\n"}, {text: blockA, id: "a1"}, {text: "b\n"}, {text: blockB, id: "b2"}}},
		{"an END without newline", "# BEGIN hangar a1\n# END hangar a1", doc{{text: "# BEGIN hangar a1\n# END hangar a1", id: "a1"}}},
		{"CRLF markers", "# BEGIN hangar a1\r\nx\r\n# END hangar a1\r\nb\r\n", doc{{text: "# BEGIN hangar a1\r\nx\r\n# END hangar a1\r\n", id: "a1"}, {text: "b\r\n"}}},
		{"a person's lines inside a block are the block's", "# BEGIN hangar a1\n10.0.0.1 mine\n# END hangar a1\n",
			doc{{text: "# BEGIN hangar a1\n10.0.0.1 mine\n# END hangar a1\n", id: "a1"}}},
		{"another's END does not end a block", "# BEGIN hangar a1\n# END hangar b2\n# END hangar a1\n",
			doc{{text: "# BEGIN hangar a1\n# END hangar b2\n# END hangar a1\n", id: "a1"}}},
		{"half-written block keeps only entry lines", "# BEGIN hangar a1\nfdaa::2\tdemo.flycast\n10.0.0.1 mine\n",
			doc{{text: "# BEGIN hangar a1\nfdaa::2\tdemo.flycast\n", id: "a1"}, {text: "10.0.0.1 mine\n"}}},
		{"half-written block ends at the next BEGIN", "# BEGIN hangar a1\nfdaa::2\tdemo.flycast\n" + blockB,
			doc{{text: "# BEGIN hangar a1\nfdaa::2\tdemo.flycast\n", id: "a1"}, {text: blockB, id: "b2"}}},
		{"half-written block cut mid-line", "# BEGIN hangar a1\nfdaa::2\tdemo.fly",
			doc{{text: "# BEGIN hangar a1\nfdaa::2\tdemo.fly", id: "a1"}}},
		{"half-written block cut in its END line", "x\n# BEGIN hangar a1\nfdaa::2\tdemo.flycast\n# END han",
			doc{{text: "x\n"}, {text: "# BEGIN hangar a1\nfdaa::2\tdemo.flycast\n# END han", id: "a1"}}},
		{"a final line after a person's line is not a cut-off", "# BEGIN hangar a1\n10.0.0.1 mine\n10.0.0.2 mine2",
			doc{{text: "# BEGIN hangar a1\n", id: "a1"}, {text: "10.0.0.1 mine\n"}, {text: "10.0.0.2 mine2"}}},
		{"a marker with a bad ID is a plain line", "# BEGIN hangar XYZ\n# END hangar XYZ\n",
			doc{{text: "# BEGIN hangar XYZ\n"}, {text: "# END hangar XYZ\n"}}},
		{"a lone END is a plain line", "# END hangar a1\n", doc{{text: "# END hangar a1\n"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parse(tt.content)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(part{})); diff != "" {
				t.Errorf("parse() mismatch (-want +got):\n%s", diff)
			}
			if s := got.String(); s != tt.content {
				t.Errorf("parse(%q).String() = %q", tt.content, s)
			}
		})
	}
}

func TestWithBlock(t *testing.T) {
	tests := []struct {
		name, content, id, block, want string
	}{
		{"appended to an empty file", "", "a1", blockA, blockA},
		{"appended after the last line", "127.0.0.1 localhost\n", "a1", blockA, "127.0.0.1 localhost\n" + blockA},
		{"a missing final newline is added first", "127.0.0.1 localhost", "a1", blockA, "127.0.0.1 localhost\n" + blockA},
		{"replaced in place", "x\n" + strings.Replace(blockA, "fdaa::2", "fdaa::9", 1) + "y\n", "a1", blockA, "x\n" + blockA + "y\n"},
		{"duplicates go, the first place stays", "x\n# BEGIN hangar a1\n# END hangar a1\ny\n" + blockA, "a1", blockA, "x\n" + blockA + "y\n"},
		{"another installation's block stays", blockB, "a1", blockA, blockB + blockA},
		{"removed", "x\n" + blockA + "y", "a1", "", "x\ny"},
		{"removing a block that is not there changes nothing", "x\n" + blockB + "y", "a1", "", "x\n" + blockB + "y"},
		{"a half-written block is replaced", "# BEGIN hangar a1\nfdaa::2\tdemo.fly", "a1", blockA, blockA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parse(tt.content).withBlock(tt.id, tt.block).String()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("withBlock() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderBlock(t *testing.T) {
	many := hostLine{addr: netip.MustParseAddr("fdaa::1")}
	for i := range 40 {
		many.names = append(many.names, strings.Repeat("n", 20)+string(rune('a'+i%26))+string(rune('a'+i/26))+".flycast")
	}
	tests := []struct {
		name  string
		lines []hostLine
		want  string
	}{
		{"nothing gives no block", nil, ""},
		{"one line per address", []hostLine{
			{addr: netip.MustParseAddr("fdaa:3b1e:9c4:0:1::2"), names: []string{"flycast-demo.flycast"}},
			{addr: netip.MustParseAddr("fdaa:3b1e:9c4:a7b::2"), names: []string{"flycast-demo.internal", "5ded2e4597e823.vm.flycast-demo.internal"}},
		}, "# BEGIN hangar a1 — managed by the hangar agent of /h; removed when it stops. Do not edit.\n" +
			"fdaa:3b1e:9c4:0:1::2\tflycast-demo.flycast\n" +
			"fdaa:3b1e:9c4:a7b::2\tflycast-demo.internal 5ded2e4597e823.vm.flycast-demo.internal\n" +
			"# END hangar a1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, renderBlock("a1", "/h", tt.lines)); diff != "" {
				t.Errorf("renderBlock() mismatch (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("long lines are split", func(t *testing.T) {
		block := renderBlock("a1", "/h", []hostLine{many})
		var names []string
		for _, line := range strings.Split(strings.TrimSuffix(block, "\n"), "\n")[1:] {
			if len(line) > maxLine {
				t.Errorf("line of %d characters: %q", len(line), line)
			}
			if f := strings.Fields(line); f[0] == "fdaa::1" {
				names = append(names, f[1:]...)
			}
		}
		if diff := cmp.Diff(many.names, names); diff != "" {
			t.Errorf("names across split lines (-want +got):\n%s", diff)
		}
	})
}

func TestIsEntryLine(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"fdaa::2\tdemo.flycast\n", true},
		{"fdaa::2 demo.internal x.vm.demo.internal", true},
		{"10.0.0.1 mine\n", false},
		{"fdaa::2 demo.flycast mine", false},
		{"fdaa::2\n", false},
		{"# fdaa::2 demo.flycast", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if got := isEntryLine(tt.line); got != tt.want {
				t.Errorf("isEntryLine(%q) = %v, want %v", tt.line, got, tt.want)
			}
		})
	}
}
