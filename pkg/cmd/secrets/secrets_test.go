package secrets

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// fakeClient answers from function fields; unset ones fail the test by panicking.
type fakeClient struct {
	list   func(app string) ([]api.Secret, error)
	set    func(app string, req api.SetSecretsRequest) (api.SetSecretsResponse, error)
	deploy func(app string, progress func(api.DeployEvent)) (api.Release, error)
}

var _ Client = (*fakeClient)(nil)

func (f *fakeClient) ListSecrets(_ context.Context, app string) ([]api.Secret, error) {
	return f.list(app)
}
func (f *fakeClient) SetSecrets(_ context.Context, app string, req api.SetSecretsRequest) (api.SetSecretsResponse, error) {
	return f.set(app, req)
}
func (f *fakeClient) DeploySecrets(_ context.Context, app string, progress func(api.DeployEvent)) (api.Release, error) {
	return f.deploy(app, progress)
}

func TestNewCmdSet(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  map[string]string
		stage bool
		err   string
	}{
		{"pairs", []string{"A=1", "B=x=y", "-a", "web"}, "", map[string]string{"A": "1", "B": "x=y"}, false, ""},
		{"empty value", []string{"A=", "-a", "web", "--stage"}, "", map[string]string{"A": ""}, true, ""},
		{"stdin", []string{"A=-", "-a", "web"}, "multi\nline", map[string]string{"A": "multi\nline"}, false, ""},
		{"none", []string{"-a", "web"}, "", nil, false, "requires at least one SECRET=VALUE pair"},
		{"no equals", []string{"A", "-a", "web"}, "", nil, false, "'A': must be in the format NAME=VALUE"},
		{"leading digit", []string{"1A=x", "-a", "web"}, "", nil, false, `invalid secret name "1A": use letters, digits, '_' and '-', not starting with a digit or '-'`},
		{"space", []string{"A B=x", "-a", "web"}, "", nil, false, `invalid secret name "A B"`},
		{"empty stdin", []string{"A=-", "-a", "web"}, "", nil, false, "secret `A` expects standard input but it was empty"},
		{"stdin twice", []string{"A=-", "B=-", "-a", "web"}, "v", nil, false, "secrets A and B both read standard input"},
		{"stdin too large", []string{"A=-", "-a", "web"}, strings.Repeat("x", 64<<10+1), nil, false, "over 64 KiB"},
		{"stdin at the limit", []string{"A=-", "-a", "web"}, strings.Repeat("x", 64<<10), map[string]string{"A": strings.Repeat("x", 64<<10)}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.New(t, t.TempDir(), nil, false)
			env.In.WriteString(tt.stdin)
			var got *SetOptions
			err := cmdtest.Run(NewCmdSet(env.F, func(o *SetOptions) error { got = o; return nil }), tt.args...)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				if strings.Contains(err.Error(), "xxxx") || strings.Contains(err.Error(), "multi") {
					t.Errorf("the error shows the value: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got.Secrets); d != "" || got.AppName != "web" || got.Stage != tt.stage {
				t.Errorf("options %+v (-want +got):\n%s", got, d)
			}
		})
	}
}

func TestUsageMistakesAreFlagErrors(t *testing.T) {
	env := cmdtest.New(t, t.TempDir(), nil, false)
	for _, args := range [][]string{{"-a", "web"}, {"1X=1", "-a", "web"}} {
		var fe *cmdutil.FlagError
		if err := cmdtest.Run(NewCmdSet(env.F, func(*SetOptions) error { return nil }), args...); !errors.As(err, &fe) {
			t.Errorf("set %v: %v is not a usage error", args, err)
		}
	}
	var fe *cmdutil.FlagError
	if err := cmdtest.Run(NewCmdUnset(env.F, func(*UnsetOptions) error { return nil }), "-a", "web"); !errors.As(err, &fe) {
		t.Errorf("unset without names: %v", err)
	}
}

func TestRunSet(t *testing.T) {
	events := []api.DeployEvent{
		{Kind: api.EventInfo, Text: "Updating existing machines in 'web' with rolling strategy"},
		{Kind: api.EventMachine, Text: "Machine 0123 [app] update finished: success"},
	}
	tests := []struct {
		name     string
		deployed bool
		rollout  Rollout
		wantErr  string // stderr
		deploys  int
	}{
		{"rolls the machines", true, Rollout{}, "Updating existing machines in 'web' with rolling strategy\n" +
			"Machine 0123 [app] update finished: success\nRelease v4 created: the machines of web run with the secrets\n", 1},
		{"stage", true, Rollout{Stage: true}, "Secrets have been staged, but not set on VMs. Deploy or update machines in this app for the secrets to take effect.\n", 0},
		{"never deployed", false, Rollout{}, "Secrets are staged for the first deployment\n", 0},
		{"detach", true, Rollout{Detach: true}, "The machines of web are being restarted with the secrets in the hangar agent: follow it with hangar status -a web\n", 1},
	}
	for _, tt := range tests {
		for _, tty := range []bool{false, true} {
			t.Run(tt.name+map[bool]string{true: " tty"}[tty], func(t *testing.T) {
				io, _, out, errOut := iostreams.Test()
				io.SetTTY(tty)
				deploys := 0
				fc := &fakeClient{
					set: func(app string, req api.SetSecretsRequest) (api.SetSecretsResponse, error) {
						if app != "web" || req.Secrets["DB"] != "hunter2" {
							t.Errorf("set %s %+v", app, req)
						}
						return api.SetSecretsResponse{Deployed: tt.deployed}, nil
					},
					deploy: func(app string, progress func(api.DeployEvent)) (api.Release, error) {
						deploys++
						for _, ev := range events {
							progress(ev)
						}
						if tt.rollout.Detach {
							return api.Release{}, context.Canceled
						}
						return api.Release{Version: 4, Status: "complete"}, nil
					},
				}
				opts := &SetOptions{IO: io, Client: func() (Client, error) { return fc, nil }, AppName: "web",
					Secrets: map[string]string{"DB": "hunter2"}, Rollout: tt.rollout}
				if err := runSet(context.Background(), opts); err != nil {
					t.Fatal(err)
				}
				if deploys != tt.deploys {
					t.Errorf("%d secrets deploys, want %d", deploys, tt.deploys)
				}
				got := errOut.String()
				if tty {
					got = stripSpinner(got)
				}
				if d := cmp.Diff(tt.wantErr, got); d != "" || out.Len() != 0 {
					t.Errorf("stdout %q; stderr (-want +got):\n%s", out, d)
				}
				if strings.Contains(out.String()+errOut.String(), "hunter2") {
					t.Error("the value was printed")
				}
			})
		}
	}
}

// stripSpinner drops the spinner's redraws, which depend on timing.
func stripSpinner(s string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		if i := strings.LastIndex(line, "\x1b[K"); i >= 0 {
			line = line[i+len("\x1b[K"):]
		}
		b.WriteString(line)
	}
	return b.String()
}

func TestRunUnsetSkipsTheRestartWhenNothingWasSet(t *testing.T) {
	for _, tt := range []struct {
		names   []string
		deploys int
	}{{[]string{"NEVER_SET"}, 0}, {[]string{"NEVER_SET", "DB"}, 1}} {
		io, _, _, _ := iostreams.Test()
		deploys := 0
		fc := &fakeClient{
			list: func(string) ([]api.Secret, error) { return []api.Secret{{Name: "DB", Status: api.SecretDeployed}}, nil },
			set: func(_ string, req api.SetSecretsRequest) (api.SetSecretsResponse, error) {
				if d := cmp.Diff(tt.names, req.Unset); d != "" {
					t.Errorf("unset (-want +got):\n%s", d)
				}
				return api.SetSecretsResponse{Deployed: true}, nil
			},
			deploy: func(string, func(api.DeployEvent)) (api.Release, error) {
				deploys++
				return api.Release{Version: 2}, nil
			},
		}
		opts := &UnsetOptions{IO: io, Client: func() (Client, error) { return fc, nil }, AppName: "web", Names: tt.names}
		if err := runUnset(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		if deploys != tt.deploys {
			t.Errorf("unset %v: %d deploys, want %d", tt.names, deploys, tt.deploys)
		}
	}
}

func TestRunList(t *testing.T) {
	list := []api.Secret{{Name: "API_KEY", Digest: "0123456789abcdef", Status: api.SecretDeployed},
		{Name: "DB", Digest: "fedcba9876543210", Status: api.SecretStaged}}
	partial := api.Secret{Name: "TOKEN", Digest: "00112233aabbccdd", Status: api.SecretPartial}
	unknown := api.Secret{Name: "OLD", Digest: "99887766ffeeddcc", Status: api.SecretUnknown}
	tests := []struct {
		name           string
		tty, json      bool
		secrets        []api.Secret
		want, wantHint string
	}{
		{"terminal", true, false, list, "NAME    DIGEST           STATUS\nAPI_KEY 0123456789abcdef Deployed\n* DB    fedcba9876543210 Staged\n",
			"There is 1 secret not deployed. Deploy with `hangar secrets deploy` to make them available.\n"},
		{"pipe", false, false, list, "NAME\tDIGEST\tSTATUS\nAPI_KEY\t0123456789abcdef\tDeployed\n* DB\tfedcba9876543210\tStaged\n",
			"There is 1 secret not deployed. Deploy with `hangar secrets deploy` to make them available.\n"},
		{"json", false, true, list, `[
    {
        "name": "API_KEY",
        "digest": "0123456789abcdef",
        "status": "Deployed"
    },
    {
        "name": "DB",
        "digest": "fedcba9876543210",
        "status": "Staged"
    }
]
`, ""},
		{"empty json", false, true, nil, "[]\n", ""},
		{"two staged", false, false, []api.Secret{list[1], list[1]}, "NAME\tDIGEST\tSTATUS\n* DB\tfedcba9876543210\tStaged\n* DB\tfedcba9876543210\tStaged\n",
			"There are 2 secrets not deployed. Deploy with `hangar secrets deploy` to make them available.\n"},
		{"partial, terminal", true, false, []api.Secret{list[0], partial, unknown},
			"NAME    DIGEST           STATUS\nAPI_KEY 0123456789abcdef Deployed\n! TOKEN 00112233aabbccdd Partial\nOLD     99887766ffeeddcc Unknown\n",
			"There is 1 secret partially deployed. This can happen during rolling deployments or if some machines failed to update. " +
				"Deploy with `hangar secrets deploy` to ensure all machines have the latest configuration.\n"},
		{"two partial", false, false, []api.Secret{partial, partial}, "NAME\tDIGEST\tSTATUS\n! TOKEN\t00112233aabbccdd\tPartial\n! TOKEN\t00112233aabbccdd\tPartial\n",
			"There are 2 secrets partially deployed. This can happen during rolling deployments or if some machines failed to update. " +
				"Deploy with `hangar secrets deploy` to ensure all machines have the latest configuration.\n"},
		{"staged and partial", false, false, []api.Secret{list[1], partial, partial}, "NAME\tDIGEST\tSTATUS\n* DB\tfedcba9876543210\tStaged\n! TOKEN\t00112233aabbccdd\tPartial\n! TOKEN\t00112233aabbccdd\tPartial\n",
			"Some secrets need to be deployed:\n  * 1 secret staged (not yet deployed)\n  ! 2 secrets partially deployed (deployed to some machines)\n\nDeploy with `hangar secrets deploy` to sync all machines.\n"},
		{"partial json", false, true, []api.Secret{partial}, "[\n    {\n        \"name\": \"TOKEN\",\n        \"digest\": \"00112233aabbccdd\",\n        \"status\": \"Partial\"\n    }\n]\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, out, errOut := iostreams.Test()
			io.SetTTY(tt.tty)
			fc := &fakeClient{list: func(string) ([]api.Secret, error) { return tt.secrets, nil }}
			opts := &ListOptions{IO: io, Client: func() (Client, error) { return fc, nil }, AppName: "web", JSON: tt.json}
			if err := runList(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, out.String()); d != "" {
				t.Errorf("stdout (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.wantHint, errOut.String()); d != "" {
				t.Errorf("stderr (-want +got):\n%s", d)
			}
		})
	}
}

func TestRunDeployReportsTheAgentsError(t *testing.T) {
	io, _, _, _ := iostreams.Test()
	want := &api.Error{Status: 409, Message: "app web has not been deployed: its secrets are staged for the first deployment (hangar deploy)"}
	fc := &fakeClient{deploy: func(string, func(api.DeployEvent)) (api.Release, error) { return api.Release{}, want }}
	err := runDeploy(context.Background(), &DeployOptions{IO: io, Client: func() (Client, error) { return fc, nil }, AppName: "web"})
	if !errors.Is(err, want) {
		t.Fatalf("err = %v", err)
	}
}

func TestNewCmdImport(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  map[string]string
		err   string
	}{
		{"pairs", []string{"-a", "web", "--stage"}, "# from .env\nA=1\nB=\"x y\" # note\nKEY=\"\"\"l1\nl2\"\"\"\n", map[string]string{"A": "1", "B": "x y", "KEY": "l1\nl2"}, ""},
		{"empty stdin", []string{"-a", "web"}, "", nil, "requires at least one SECRET=VALUE pair"},
		{"only comments", []string{"-a", "web"}, "# A=1\n\n", nil, "requires at least one SECRET=VALUE pair"},
		{"bad line", []string{"-a", "web"}, "A=1\nhunter2\n", nil, "parsing secrets from standard input: line 2: secrets must be provided as NAME=VALUE pairs"},
		{"bad name", []string{"-a", "web"}, "9A=hunter2\n", nil, `parsing secrets from standard input: line 1: invalid secret name "9A"`},
		{"arguments", []string{"A=1", "-a", "web"}, "B=2", nil, `unknown command "A=1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.New(t, t.TempDir(), nil, false)
			env.In.WriteString(tt.stdin)
			var got *SetOptions
			err := cmdtest.Run(NewCmdImport(env.F, func(o *SetOptions) error { got = o; return nil }), tt.args...)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("the error shows a value: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got.Secrets); d != "" || got.AppName != "web" || !got.Stage {
				t.Errorf("options %+v (-want +got):\n%s", got, d)
			}
		})
	}
}

// TestRunImport runs import through cobra with a fake client: it sets what stdin holds
// and then behaves as set, rolling or staging, terminal or not, printing no value.
func TestRunImport(t *testing.T) {
	for _, tt := range []struct {
		name    string
		args    []string
		wantErr string
		deploys int
	}{
		{"rolls", nil, "Release v5 created: the machines of web run with the secrets\n", 1},
		{"stage", []string{"--stage"}, "Secrets have been staged, but not set on VMs. Deploy or update machines in this app for the secrets to take effect.\n", 0},
		{"detach", []string{"--detach"}, "The machines of web are being restarted with the secrets in the hangar agent: follow it with hangar status -a web\n", 1},
	} {
		for _, tty := range []bool{false, true} {
			t.Run(tt.name+map[bool]string{true: " tty"}[tty], func(t *testing.T) {
				deploys := 0
				fc := &fakeClient{
					set: func(app string, req api.SetSecretsRequest) (api.SetSecretsResponse, error) {
						if d := cmp.Diff(map[string]string{"DB": "hunter2", "PEM": "a\nb"}, req.Secrets); d != "" || app != "web" {
							t.Errorf("set %s (-want +got):\n%s", app, d)
						}
						return api.SetSecretsResponse{Deployed: true}, nil
					},
					deploy: func(_ string, progress func(api.DeployEvent)) (api.Release, error) {
						deploys++
						progress(api.DeployEvent{Kind: api.EventInfo, Text: "Updating existing machines in 'web' with rolling strategy"})
						if slices.Contains(tt.args, "--detach") {
							return api.Release{}, context.Canceled
						}
						return api.Release{Version: 5}, nil
					},
				}
				env := cmdtest.New(t, t.TempDir(), nil, tty)
				env.In.WriteString("DB=hunter2\nPEM=\"\"\"a\nb\"\"\"\n")
				cmd := NewCmdImport(env.F, func(o *SetOptions) error {
					o.Client = func() (Client, error) { return fc, nil }
					return runSet(context.Background(), o)
				})
				if err := cmdtest.Run(cmd, append([]string{"-a", "web"}, tt.args...)...); err != nil {
					t.Fatal(err)
				}
				got := stripSpinner(env.ErrOut.String())
				got = strings.TrimPrefix(got, "Updating existing machines in 'web' with rolling strategy\n")
				if d := cmp.Diff(tt.wantErr, got); d != "" || deploys != tt.deploys || env.Out.Len() != 0 {
					t.Errorf("%d deploys, stdout %q, stderr (-want +got):\n%s", deploys, env.Out, d)
				}
				if strings.Contains(env.Out.String()+env.ErrOut.String(), "hunter2") {
					t.Error("a value was printed")
				}
			})
		}
	}
}
