package dryrun

import (
	"fmt"
	"io"
	"text/tabwriter"

	"example.com/migrator/migrate"
)

// Change is one line of a plan summary.
type Change struct {
	Migration  migrate.Migration
	Action     string
	Statements int
}

// Changes lists what an "up" run would do with migs given the applied ones.
func Changes(migs []migrate.Migration, applied map[int64]migrate.AppliedMigration) []Change {
	var out []Change
	for _, m := range migs {
		a, ok := applied[m.Version]
		switch {
		case !ok:
			out = append(out, Change{Migration: m, Action: "apply", Statements: len(migrate.Statements(m.UpSQL))})
		case a.Checksum != m.Checksum():
			out = append(out, Change{Migration: m, Action: "MODIFIED"})
		}
	}
	return out
}

// Summary prints changes as an aligned table.
func Summary(w io.Writer, changes []Change) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tACTION\tSTATEMENTS")
	for _, c := range changes {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\n", c.Migration.Version, c.Migration.Name, c.Action, c.Statements)
	}
	if len(changes) == 0 {
		fmt.Fprintln(tw, "-\t-\tup to date\t0")
	}
	return tw.Flush()
}
