package scale

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

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
	Region         string
	WithNewVolumes bool
	Yes            bool
}

// NewCmdCount binds `scale count N | GROUP=N…` into CountOptions.
func NewCmdCount(f *cmdutil.Factory, runF func(*CountOptions) error) *cobra.Command {
	opts := &CountOptions{IO: f.IOStreams, Client: clientFunc(f), Prompter: f.Prompter}
	var app cmdutil.AppFlags
	var group string
	cmd := &cobra.Command{
		Use:   "count N | GROUP=N...",
		Short: "Change the number of machines of the app's process groups",
		Long:  "Change the number of machines of the app's process groups. New machines copy the group's configuration from the deployed release; scaling down destroys stopped machines first.",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Counts, err = parseCounts(args, group); err != nil {
				return err
			}
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
	cmd.Flags().StringVarP(&opts.Region, "region", "r", "", "The region to scale in (the primary region by default)")
	cmd.Flags().BoolVar(&opts.WithNewVolumes, "with-new-volumes", false, "New machines get new volumes rather than unattached ones")
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "Accept all confirmations")
	return cmd
}

// parseCounts reads `N` (for --process-group, or the only group) or `GROUP=N` arguments.
func parseCounts(args []string, group string) (map[string]int, error) {
	counts := map[string]int{}
	for _, arg := range args {
		g, n, named := strings.Cut(arg, "=")
		if !named {
			g, n = group, arg
		} else if group != "" {
			return nil, cmdutil.FlagErrorf("%s names its group: drop --process-group, or pass a bare count", arg)
		}
		if named && g == "" {
			return nil, cmdutil.FlagErrorf("%s names no group: use GROUP=N, like app=2", arg)
		}
		count, err := strconv.Atoi(n)
		if err != nil {
			return nil, cmdutil.FlagErrorf("invalid count %q: use a whole number of machines, like 2 or app=2", arg)
		}
		if count < 0 {
			return nil, cmdutil.FlagErrorf("invalid count %q: a group has 0 or more machines", arg)
		}
		if _, dup := counts[g]; dup {
			return nil, cmdutil.FlagErrorf("%s: the group is given twice; give each group one count", arg)
		}
		counts[g] = count
	}
	return counts, nil
}

func runCount(ctx context.Context, opts *CountOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	req := api.ScaleRequest{Counts: opts.Counts, Region: opts.Region, WithNewVolumes: opts.WithNewVolumes}
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
	res, err := c.Scale(ctx, opts.AppName, req)
	for _, m := range res.Machines {
		verb := "Destroyed"
		if m.Created {
			verb = "Created"
		}
		fmt.Fprintf(opts.IO.Out, "  %s %s group:%s region:%s size:%s\n", verb, m.ID, m.Group, m.Region, m.Size)
	}
	return err
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
