package hangarcmd

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
	"github.com/hangarhq/hangar/pkg/cmd/root"
)

// TestUnknownSubcommandIsAUsageError: every group names the unknown word, suggests
// what was meant as cobra's root does, and exits 2 without touching the agent.
func TestUnknownSubcommandIsAUsageError(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"ips", []string{"ips", "lst"}, "unknown command \"lst\" for \"hangar ips\"\n\nDid you mean this?\n\tlist\n\nRun 'hangar ips --help' for usage."},
		{"apps", []string{"apps", "lst"}, "unknown command \"lst\" for \"hangar apps\"\n\nDid you mean this?\n\tlist\n\nRun 'hangar apps --help' for usage."},
		{"machine", []string{"machine", "strat"}, "unknown command \"strat\" for \"hangar machine\"\n\nDid you mean this?\n\tstart\n\nRun 'hangar machine --help' for usage."},
		{"agent", []string{"agent", "sttus"}, "unknown command \"sttus\" for \"hangar agent\"\n\nDid you mean this?\n\tstatus\n\nRun 'hangar agent --help' for usage."},
		{"config", []string{"config", "valdate"}, "unknown command \"valdate\" for \"hangar config\"\n\nDid you mean this?\n\tvalidate\n\nRun 'hangar config --help' for usage."},
		{"orgs", []string{"orgs", "lst"}, "unknown command \"lst\" for \"hangar orgs\"\n\nDid you mean this?\n\tlist\n\nRun 'hangar orgs --help' for usage."},
		{"completion", []string{"completion", "bassh"}, "unknown command \"bassh\" for \"hangar completion\"\n\nDid you mean this?\n\tbash\n\nRun 'hangar completion --help' for usage."},
		{"an alias", []string{"org", "lst"}, "unknown command \"lst\" for \"hangar orgs\"\n\nDid you mean this?\n\tlist\n\nRun 'hangar orgs --help' for usage."},
		{"nothing close", []string{"ips", "zzqx"}, "unknown command \"zzqx\" for \"hangar ips\"\nRun 'hangar ips --help' for usage."},
		{"the root", []string{"dploy"}, "unknown command \"dploy\" for \"hangar\"\n\nDid you mean this?\n\tdeploy\n\nRun 'hangar --help' for usage."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.New(t, t.TempDir(), nil, false)
			if code := run(env.F, tt.args); code != exitUsage {
				t.Errorf("hangar %s exited %d, want %d", strings.Join(tt.args, " "), code, exitUsage)
			}
			if diff := cmp.Diff("Error: "+tt.want+"\n", env.ErrOut.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if env.Out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", env.Out)
			}
		})
	}
}

// TestGroupWithoutSubcommandShowsHelp: a bare group still prints its help and succeeds.
func TestGroupWithoutSubcommandShowsHelp(t *testing.T) {
	env := cmdtest.New(t, t.TempDir(), nil, false)
	if code := run(env.F, []string{"ips"}); code != exitOK {
		t.Errorf("hangar ips exited %d, want 0", code)
	}
	if !strings.Contains(env.Out.String(), "Available Commands:") {
		t.Errorf("stdout = %q, want the group's help", env.Out)
	}
}

// TestEveryGroupRejectsUnknownSubcommands walks the whole command tree, so a group added
// later is held to the same rule without a new test case.
func TestEveryGroupRejectsUnknownSubcommands(t *testing.T) {
	var groups []*cobra.Command
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasSubCommands() {
			groups = append(groups, c)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root.NewCmdRoot(cmdtest.New(t, t.TempDir(), nil, false).F))
	if len(groups) < 7 {
		t.Fatalf("found %d groups, want at least root, ips, apps, machine, agent, config, orgs", len(groups))
	}
	for _, g := range groups {
		path := strings.Fields(g.CommandPath())[1:]
		t.Run(g.CommandPath(), func(t *testing.T) {
			env := cmdtest.New(t, t.TempDir(), nil, false)
			if code := run(env.F, append(path, "zzqx")); code != exitUsage {
				t.Errorf("exit %d, want %d; stdout %q", code, exitUsage, env.Out)
			}
			want := "Error: unknown command \"zzqx\" for \"" + g.CommandPath() + "\"\n"
			if !strings.HasPrefix(env.ErrOut.String(), want) {
				t.Errorf("stderr = %q, want it to start with %q", env.ErrOut, want)
			}
		})
	}
}
