package root

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
)

// requireKnownSubcommands makes every command below cmd that only groups others reject
// an unknown subcommand as cobra's root does. Cobra checks only at the root: below it a
// group without a Run prints its help and exits 0, so `hangar ips lst` looked like it
// worked. Applied to the whole tree, it covers groups added later too.
func requireKnownSubcommands(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		requireKnownSubcommands(c)
	}
	if !cmd.HasParent() || !cmd.HasSubCommands() || cmd.Runnable() {
		return
	}
	cmd.Args = knownSubcommand
	cmd.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
}

// knownSubcommand fails with a usage error (exit 2) and cobra's suggestions on any argument:
// a group's arguments reach it only when no subcommand matched the first one.
func knownSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return cmdutil.FlagErrorf("unknown command %q for %q%s", args[0], cmd.CommandPath(), suggestions(cmd, args[0]))
}

// suggestions is cobra's "Did you mean this?" block, as its root prints it.
func suggestions(cmd *cobra.Command, arg string) string {
	if cmd.DisableSuggestions {
		return ""
	}
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	found := cmd.SuggestionsFor(arg)
	if len(found) == 0 {
		return ""
	}
	return "\n\nDid you mean this?\n\t" + strings.Join(found, "\n\t") + "\n"
}
