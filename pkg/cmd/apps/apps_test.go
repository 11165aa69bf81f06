package apps

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hangarhq/hangar/pkg/agent/agenttest"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
)

func TestFlagErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		tty  bool
		want string
	}{
		{"create needs a name", []string{"create"}, false, "accepts 1 arg(s), received 0"},
		{"create checks the name", []string{"create", "Bad_Name"}, false, `invalid app name: "Bad_Name": app name must consist of only lowercase letters, numbers, and dashes`},
		{"destroy without a terminal", []string{"destroy", "a"}, false, "--yes is required when not running interactively"},
		{"destroy needs a name", []string{"destroy", "-y"}, false, "requires at least 1 arg(s), only received 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.New(t, t.TempDir(), nil, tt.tty)
			err := cmdtest.Run(NewCmdApps(env.F), tt.args...)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestCreateListDestroy runs the commands against a real in-process agent.
func TestCreateListDestroy(t *testing.T) {
	a := agenttest.Start(t, nil)
	env := cmdtest.New(t, t.TempDir(), a.Client, false)
	if err := cmdtest.Run(NewCmdApps(env.F), "create", "admin", "-o", "tools"); err != nil {
		t.Fatal(err)
	}
	if env.Out.String() != "New app created: admin\n" {
		t.Errorf("create printed %q", env.Out)
	}
	env.Out.Reset()
	if err := cmdtest.Run(NewCmdApps(env.F), "list"); err != nil {
		t.Fatal(err)
	}
	if want := "NAME\tOWNER\tSTATUS\tHOSTNAME\nadmin\ttools\tpending\tadmin.flycast\n"; env.Out.String() != want {
		t.Errorf("list printed %q, want %q", env.Out, want)
	}
	err := cmdtest.Run(NewCmdApps(env.F), "create", "admin")
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Code != "app_exists" {
		t.Errorf("second create: %v", err)
	}
	env.Out.Reset()
	if err := cmdtest.Run(NewCmdApps(env.F), "destroy", "-y", "admin"); err != nil || env.Out.String() != "Destroyed app admin\n" {
		t.Fatalf("destroy: %v %q", err, env.Out)
	}
	if apps, _ := a.Client.ListApps(context.Background(), ""); len(apps) != 0 {
		t.Errorf("apps after destroy: %v", apps)
	}
}

func TestDestroyAsksAtATerminal(t *testing.T) {
	a := agenttest.Start(t, nil)
	a.Client.CreateApp(context.Background(), api.CreateAppRequest{AppName: "keep"})
	env := cmdtest.New(t, t.TempDir(), a.Client, true)
	pr := &cmdtest.Prompter{T: t, Confirms: map[string]bool{"Destroy app keep?": false}}
	env.F.Prompter = pr
	if err := cmdtest.Run(NewCmdApps(env.F), "destroy", "keep"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Client.GetApp(context.Background(), "keep"); err != nil || !strings.Contains(strings.Join(pr.Asked, ","), "Destroy app keep?") {
		t.Errorf("answering No destroyed the app (%v) or nothing was asked (%v)", err, pr.Asked)
	}
}
