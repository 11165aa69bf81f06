package cmdutil

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
)

// PrintJSON is the one --json encoder: 4-space indent as flyctl's render.JSON.
func PrintJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "    ")
	enc.SetEscapeHTML(false) // fix commands hold && and <port>, meant to be copied as they are
	return enc.Encode(v)
}

// Ago renders t relative to now as flyctl's tables do: "just now", "42s ago", "5m3s ago",
// "2h7m ago", then a date.
func Ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 5*time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d.Seconds()))
	case d < time.Hour:
		return minutesAgo(d)
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%dm ago", int(d.Hours()), int(d.Minutes())%60)
	}
	return t.Local().Format("Jan 2 2006 15:04")
}

func minutesAgo(d time.Duration) string {
	m, s := int(d.Minutes()), int(d.Seconds())%60
	if s == 0 {
		return fmt.Sprintf("%dm ago", m)
	}
	return fmt.Sprintf("%dm%ds ago", m, s)
}

// AddJSONFlag adds -j/--json to a listing command.
func AddJSONFlag(cmd *cobra.Command, v *bool) {
	cmd.Flags().BoolVarP(v, "json", "j", false, "JSON output")
}

// SleepText is a machine's tier of sleep in a table: suspend, stop or cold, and "-"
// while it is awake.
func SleepText(tier string) string {
	if tier == "" {
		return "-"
	}
	return tier
}
