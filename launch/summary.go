package launch

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// Summary is the block flyctl shows before creating the app, each value with its source.
func (p Plan) Summary() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 8, 1, ' ', 0)
	row := func(k, v, src string) { fmt.Fprintf(tw, "%s:\t%s\t(%s)\n", k, v, src) }
	row("Organization", p.Org.V, p.Org.Source)
	row("Name", p.Name.V, p.Name.Source)
	row("Region", p.Region.V, p.Region.Source)
	row("App Machines", "shared-cpu-1x, 1GB RAM", SourceMemory)
	row("Internal port", fmt.Sprint(p.InternalPort.V), p.InternalPort.Source)
	row("Network", "private ("+p.Name.V+".flycast)", SourceFlycast)
	tw.Flush()
	return b.String()
}
