package secrets

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  map[string]string
		err   string
	}{
		{"comments and blank lines", "\n# a comment\n  \nFOO=BAR\n# another\nQUX=NAH\n", map[string]string{"FOO": "BAR", "QUX": "NAH"}, ""},
		{"windows line ends", "FOO=BAR\r\nQUX=NAH\r\n", map[string]string{"FOO": "BAR", "QUX": "NAH"}, ""},
		{"no final newline", "FOO=BAR", map[string]string{"FOO": "BAR"}, ""},
		{"equals and commas in the value", "FOO=a=b,c d", map[string]string{"FOO": "a=b,c d"}, ""},
		{"spaces around =", "FOO = BAR", map[string]string{"FOO": "BAR"}, ""},
		{"double quotes", `FOO="BAR BAZ"`, map[string]string{"FOO": "BAR BAZ"}, ""},
		{"single quotes", "FOO='BAR BAZ'", map[string]string{"FOO": "BAR BAZ"}, ""},
		{"a lone quote stays", `FOO="`, map[string]string{"FOO": `"`}, ""},
		{"comment after a value", `FOO="BAR BAZ" # comment`, map[string]string{"FOO": "BAR BAZ"}, ""},
		{"# inside quotes stays", `FOO="a # b`, map[string]string{"FOO": `"a # b`}, ""},
		{"empty value", "FOO=", map[string]string{"FOO": ""}, ""},
		{"later line wins", "FOO=1\nFOO=2", map[string]string{"FOO": "2"}, ""},
		{"triple quotes on one line", `A="""one"""` + "\nB = \"\"\"  two  \"\"\"\nE=\"\"\"\"\"\"", map[string]string{"A": "one", "B": "  two  ", "E": ""}, ""},
		{"multi-line", "FOO=BAR\nKEY=\"\"\"-----BEGIN\nline 2\n\n# not a comment\n-----END\"\"\"\nAFTER=x",
			map[string]string{"FOO": "BAR", "KEY": "-----BEGIN\nline 2\n\n# not a comment\n-----END", "AFTER": "x"}, ""},
		{"multi-line, windows", "KEY=\"\"\"a\r\nb\"\"\"\r\n", map[string]string{"KEY": "a\nb"}, ""},
		{"nothing", "# only a comment\n\n", map[string]string{}, ""},
		{"no equals", "FOO=1\n\nhunter2\n", nil, "line 3: secrets must be provided as NAME=VALUE pairs"},
		{"bad name", "FOO=1\n1BAD=hunter2", nil, `line 2: invalid secret name "1BAD": use letters, digits, '_' and '-', not starting with a digit or '-'`},
		{"empty name", "=hunter2", nil, `line 1: invalid secret name ""`},
		{"unclosed triple quotes", "A=1\nKEY=\"\"\"hunter2\nmore\n", nil, `line 2: the value of KEY opens with """ and is never closed`},
		{"value over 64 KiB", "A=1\nBIG=" + strings.Repeat("x", MaxValue+1), nil, "line 2: the value of BIG is over 64 KiB, the limit"},
		{"multi-line value over 64 KiB", "BIG=\"\"\"\n" + strings.Repeat(strings.Repeat("x", 1023)+"\n", 65) + `"""`, nil, "line 65: the value of BIG is over 64 KiB, the limit"},
		{"line over the buffer", "A=1\nBIG=" + strings.Repeat("x", MaxValue+5000), nil, "line 2: longer than 64 KiB, the limit of a value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.input))
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "xxx") {
					t.Errorf("the error shows a value: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestParseAValueAtTheLimit(t *testing.T) {
	got, err := Parse(strings.NewReader("BIG=" + strings.Repeat("x", MaxValue)))
	if err != nil || len(got["BIG"]) != MaxValue {
		t.Fatalf("%d bytes, %v", len(got["BIG"]), err)
	}
}
