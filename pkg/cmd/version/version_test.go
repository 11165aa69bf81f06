package version

import (
	"encoding/json"
	"runtime"
	"testing"

	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
)

func TestVersion(t *testing.T) {
	env := cmdtest.New(t, t.TempDir(), nil, false) // nil client: version never starts the agent
	if err := cmdtest.Run(NewCmdVersion(env.F)); err != nil {
		t.Fatal(err)
	}
	if want := "hangar vtest " + runtime.GOOS + "/" + runtime.GOARCH + " " + runtime.Version() + "\n"; env.Out.String() != want {
		t.Errorf("got %q, want %q", env.Out, want)
	}
	env.Out.Reset()
	if err := cmdtest.Run(NewCmdVersion(env.F), "--json"); err != nil {
		t.Fatal(err)
	}
	var info Info
	if err := json.Unmarshal(env.Out.Bytes(), &info); err != nil || info.Version != "test" {
		t.Errorf("--json: %v %s", err, env.Out)
	}
}
