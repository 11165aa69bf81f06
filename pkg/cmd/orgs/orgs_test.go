package orgs

import (
	"context"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/hangarhq/hangar/pkg/agent/agenttest"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
)

func TestListShowsEachOrgsPrefix(t *testing.T) {
	a := agenttest.Start(t, nil)
	a.Client.CreateApp(context.Background(), api.CreateAppRequest{AppName: "a"})
	a.Client.CreateApp(context.Background(), api.CreateAppRequest{AppName: "b", OrgSlug: "tools"})
	env := cmdtest.New(t, t.TempDir(), a.Client, false)
	if err := cmdtest.Run(NewCmdOrgs(env.F), "list"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(env.Out.String()), "\n")
	if len(lines) != 3 || lines[0] != "NAME\tSLUG\tTYPE\tPRIVATE NETWORK" ||
		!strings.HasPrefix(lines[1], "personal\tpersonal\tPERSONAL\tfdaa:") || !strings.HasPrefix(lines[2], "tools\ttools\tSHARED\tfdaa:") {
		t.Errorf("orgs list:\n%s", env.Out)
	}
	env.Out.Reset()
	if err := cmdtest.Run(NewCmdOrgs(env.F), "list", "--json"); err != nil {
		t.Fatal(err)
	}
	var orgs []api.Organization
	if err := json.Unmarshal(env.Out.Bytes(), &orgs); err != nil || len(orgs) != 2 {
		t.Fatalf("--json: %v %s", err, env.Out)
	}
	for _, o := range orgs {
		if p, err := netip.ParsePrefix(o.Prefix); err != nil || p.Bits() != 48 {
			t.Errorf("org %s prefix %q", o.Slug, o.Prefix)
		}
	}
}

func TestListEmptyJSONIsArray(t *testing.T) {
	a := agenttest.Start(t, nil)
	env := cmdtest.New(t, t.TempDir(), a.Client, false)
	if err := cmdtest.Run(NewCmdOrgs(env.F), "list", "-j"); err != nil || env.Out.String() != "[]\n" {
		t.Errorf("got %v %q", err, env.Out)
	}
}
