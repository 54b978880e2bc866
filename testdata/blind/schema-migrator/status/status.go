// Package status computes and prints the state of every migration: applied,
// pending, modified after applying, or applied without a file. It also has
// the small HTTP server and poller behind "migrate-statusd" and
// "migrate-watch".
package status

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"text/tabwriter"
	"time"

	"example.com/migrator/migrate"
)

// State of one migration.
type State string

// The states.
const (
	Applied  State = "applied"
	Pending  State = "pending"
	Modified State = "modified"
	Orphan   State = "orphan"
)

// Row is one line of the status table.
type Row struct {
	Version   int64     `json:"version"`
	Name      string    `json:"name"`
	State     State     `json:"state"`
	AppliedAt time.Time `json:"applied_at,omitempty"`
}

// Build merges the migration files with the history table.
func Build(migs []migrate.Migration, applied map[int64]migrate.AppliedMigration) []Row {
	rows := make([]Row, 0, len(migs))
	seen := make(map[int64]bool, len(migs))
	for _, m := range migs {
		seen[m.Version] = true
		a, ok := applied[m.Version]
		switch {
		case !ok:
			rows = append(rows, Row{Version: m.Version, Name: m.Name, State: Pending})
		case a.Checksum != m.Checksum():
			rows = append(rows, Row{Version: m.Version, Name: m.Name, State: Modified, AppliedAt: a.AppliedAt})
		default:
			rows = append(rows, Row{Version: m.Version, Name: m.Name, State: Applied, AppliedAt: a.AppliedAt})
		}
	}
	for v, a := range applied {
		if !seen[v] {
			rows = append(rows, Row{Version: v, Name: a.Name, State: Orphan, AppliedAt: a.AppliedAt})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Version < rows[j].Version })
	return rows
}

// Load reads the history table and builds the rows.
func Load(ctx context.Context, db *sql.DB, table string, migs []migrate.Migration) ([]Row, error) {
	applied, err := migrate.NewHistory(db, table).Applied(ctx)
	if err != nil {
		return nil, err
	}
	return Build(migs, applied), nil
}

// Counts returns how many rows are in each state.
func Counts(rows []Row) map[State]int {
	out := make(map[State]int, 4)
	for _, r := range rows {
		out[r.State]++
	}
	return out
}

// Print writes rows as an aligned table.
func Print(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tSTATE\tAPPLIED AT")
	for _, r := range rows {
		at := "-"
		if !r.AppliedAt.IsZero() {
			at = r.AppliedAt.Local().Format("2006-01-02 15:04:05")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", r.Version, r.Name, r.State, at)
	}
	return tw.Flush()
}

// WriteReport writes the table and a summary line to a file.
func WriteReport(path string, rows []Row) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	if err := Print(bw, rows); err != nil {
		return err
	}
	c := Counts(rows)
	fmt.Fprintf(bw, "\n%d applied, %d pending, %d modified, %d orphaned\n",
		c[Applied], c[Pending], c[Modified], c[Orphan])
	return bw.Flush()
}

// WriteReportGz writes the table gzip-compressed, for attaching to tickets.
func WriteReportGz(path string, rows []Row) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	return Print(zw, rows)
}
