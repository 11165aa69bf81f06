package scale

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// CountOptions is `hangar scale count`.
type CountOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (Client, error)
	Prompter cmdutil.Prompter

	AppName        string
	Counts         map[string]int // by group; "" is the app's only group
	Relative       map[string]int // +N and -N: changes to the group's current count
	Regions        []string       // -r; the regions of the app's machines when empty
	MaxPerRegion   int            // negative: no cap, flyctl's default -1
	WithNewVolumes bool
	Yes            bool
}

// NewCmdCount binds `scale count N | +N | -N | GROUP=N…` into CountOptions. It parses
// its own flags so that `scale count -1` is a count, not an unknown shorthand flag.
func NewCmdCount(f *cmdutil.Factory, runF func(*CountOptions) error) *cobra.Command {
	opts := &CountOptions{IO: f.IOStreams, Client: clientFunc(f), Prompter: f.Prompter}
	var app cmdutil.AppFlags
	var group, regions string
	cmd := &cobra.Command{
		Use:                "count N | +N | -N | GROUP=N...",
		Short:              "Change the number of machines of the app's process groups",
		Long:               "Change the number of machines of the app's process groups, to N or by +N or -N. New machines copy the group's configuration from the deployed release; scaling down destroys stopped machines first.",
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			args, err := parseFlags(cmd, args)
			if err != nil {
				return err
			}
			if opts.Counts, opts.Relative, err = parseCounts(args, group); err != nil {
				return err
			}
			opts.Regions = splitRegions(regions)
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runCount(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmd.Flags().StringVar(&group, "process-group", "", "The process group to scale (with a bare count)")
	cmd.Flags().StringVarP(&regions, "region", "r", "", "Comma separated list of regions to act on (the regions of the app's machines by default)")
	cmd.Flags().IntVar(&opts.MaxPerRegion, "max-per-region", -1, "Max number of machines per region")
	cmd.Flags().BoolVar(&opts.WithNewVolumes, "with-new-volumes", false, "New machines get new volumes rather than unattached ones")
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "Accept all confirmations")
	return cmd
}

// parseFlags does what cobra would, after moving counts like -1 behind "--".
func parseFlags(cmd *cobra.Command, args []string) ([]string, error) {
	if err := cmd.Flags().Parse(countsAfterDashes(cmd.Flags(), args)); err != nil {
		return nil, cmd.FlagErrorFunc()(cmd, err)
	}
	if help, _ := cmd.Flags().GetBool("help"); help {
		return nil, pflag.ErrHelp
	}
	if len(cmd.Flags().Args()) == 0 {
		return nil, cmdutil.FlagErrorf("requires at least 1 arg(s), only received 0")
	}
	return cmd.Flags().Args(), nil
}

var negativeCount = regexp.MustCompile(`^-[0-9]+$`)

// countsAfterDashes moves arguments like -1 after "--", where they are arguments
// rather than shorthand flags; a -1 that is a flag's value (--max-per-region -1)
// stays where it is.
func countsAfterDashes(flags *pflag.FlagSet, args []string) []string {
	var rest, counts []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--":
			return append(append(append(rest, "--"), counts...), args[i+1:]...)
		case negativeCount.MatchString(a):
			counts = append(counts, a)
		case takesValue(flags, a) && i+1 < len(args):
			rest = append(rest, a, args[i+1])
			i++
		default:
			rest = append(rest, a)
		}
	}
	return append(append(rest, "--"), counts...)
}

// takesValue: a is a flag, like --region or -r, whose value is the next argument.
func takesValue(flags *pflag.FlagSet, a string) bool {
	var f *pflag.Flag
	switch {
	case strings.HasPrefix(a, "--") && !strings.Contains(a, "="):
		f = flags.Lookup(a[2:])
	case len(a) == 2 && a[0] == '-':
		f = flags.ShorthandLookup(a[1:])
	}
	return f != nil && f.NoOptDefVal == ""
}

func splitRegions(s string) []string {
	var out []string
	for _, r := range strings.Split(s, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// parseCounts reads `N`, `+N` or `-N` (for --process-group, or the only group) or
// `GROUP=N` arguments, as flyctl does: a sign makes the count a change.
func parseCounts(args []string, group string) (counts, relative map[string]int, err error) {
	counts, relative = map[string]int{}, map[string]int{}
	for _, arg := range args {
		g, n, named := strings.Cut(arg, "=")
		if !named {
			g, n = group, arg
		} else if group != "" {
			return nil, nil, cmdutil.FlagErrorf("%s names its group: drop --process-group, or pass a bare count", arg)
		}
		if named && g == "" {
			return nil, nil, cmdutil.FlagErrorf("%s names no group: use GROUP=N, like app=2", arg)
		}
		count, err := strconv.Atoi(n)
		if err != nil {
			return nil, nil, cmdutil.FlagErrorf("invalid count %q: use a whole number of machines, like 2, +1, -1 or app=2", arg)
		}
		_, dup := counts[g]
		_, dupRelative := relative[g]
		switch signed := strings.HasPrefix(n, "+") || strings.HasPrefix(n, "-"); {
		case dup || dupRelative:
			return nil, nil, cmdutil.FlagErrorf("%s: the group is given twice; give each group one count", arg)
		case signed && count == 0:
			return nil, nil, cmdutil.FlagErrorf("invalid relative scale count: %s", n)
		case signed:
			relative[g] = count
		default:
			counts[g] = count
		}
	}
	return counts, relative, nil
}

func runCount(ctx context.Context, opts *CountOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	req := api.ScaleRequest{Counts: opts.Counts, Relative: opts.Relative, Regions: opts.Regions, WithNewVolumes: opts.WithNewVolumes}
	if opts.MaxPerRegion >= 0 {
		req.MaxPerRegion = &opts.MaxPerRegion
	}
	plan, err := c.PlanScale(ctx, opts.AppName, req)
	if err != nil {
		return err
	}
	if len(plan.Steps) == 0 {
		fmt.Fprintln(opts.IO.Out, "App already scaled to desired state. No need for changes")
		return nil
	}
	printPlan(opts.IO, opts.AppName, plan)
	if ok, err := confirm(opts); err != nil || !ok {
		return err
	}
	fmt.Fprintln(opts.IO.Out, "Executing scale plan")
	return c.Scale(ctx, opts.AppName, req, func(ev api.DeployEvent) { printEvent(opts.IO, ev) })
}

// printEvent shows a line of the scale as it happens: a machine created or
// destroyed, a volume made for one; warnings go to stderr.
func printEvent(io *iostreams.IOStreams, ev api.DeployEvent) {
	if ev.Kind == api.EventWarn {
		fmt.Fprintf(io.ErrOut, "WARNING %s\n", ev.Text)
		return
	}
	fmt.Fprintf(io.Out, "  %s\n", ev.Text)
}

func printPlan(io *iostreams.IOStreams, app string, plan api.ScalePlan) {
	fmt.Fprintf(io.Out, "App '%s' is going to be scaled according to this plan:\n", app)
	for _, st := range plan.Steps {
		word := "machines"
		if st.Delta == 1 || st.Delta == -1 {
			word = "machine"
		}
		fmt.Fprintf(io.Out, "  %+d %s for group '%s' on region '%s' of size '%s'\n", st.Delta, word, st.Group, st.Region, st.Size)
	}
}

// confirm asks at a terminal; without one --yes is required.
func confirm(opts *CountOptions) (bool, error) {
	if opts.Yes {
		return true, nil
	}
	if !opts.IO.CanPrompt() {
		return false, cmdutil.FlagErrorf("--yes flag must be specified when not running interactively")
	}
	return opts.Prompter.Confirm(fmt.Sprintf("Scale app %s?", opts.AppName), false)
}
