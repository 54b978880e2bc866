package migrate

import (
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// LoadFS reads migrations named NNNN_name.up.sql (and optional
// NNNN_name.down.sql) from the root of fsys.
func LoadFS(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	byVersion := map[int64]*Migration{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		base := strings.TrimSuffix(name, ".sql")
		dir := path.Ext(base) // ".up" or ".down"
		base = strings.TrimSuffix(base, dir)
		num, label, ok := strings.Cut(base, "_")
		if !ok {
			return nil, fmt.Errorf("%s: want NNNN_name.up.sql", name)
		}
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: bad version: %w", name, err)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		m := byVersion[v]
		if m == nil {
			m = &Migration{Version: v, Name: label}
			byVersion[v] = m
		}
		switch dir {
		case ".up":
			m.Up = string(body)
		case ".down":
			m.Down = string(body)
		default:
			return nil, fmt.Errorf("%s: want .up.sql or .down.sql", name)
		}
	}
	out := make([]Migration, 0, len(byVersion))
	for _, m := range byVersion {
		if m.Up == "" {
			return nil, fmt.Errorf("migration %d_%s has no up file", m.Version, m.Name)
		}
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b Migration) int { return int(a.Version - b.Version) })
	return out, nil
}

func state(applied bool) string {
	if applied {
		return "applied"
	}
	return "pending"
}

// WriteStatus prints a table of all migrations and whether they are applied.
func WriteStatus(w io.Writer, all []Migration, isApplied func(int64) bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tSTATE")
	for _, m := range all {
		fmt.Fprintf(tw, "%d\t%s\t%s\n", m.Version, m.Name, state(isApplied(m.Version)))
	}
	return tw.Flush() // ok: the flush error is returned
}

// WriteStatusCSV writes the same report as CSV.
func WriteStatusCSV(w io.Writer, all []Migration, isApplied func(int64) bool) error {
	cw := csv.NewWriter(w)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"version", "name", "state"}); err != nil {
		return err
	}
	for _, m := range all {
		rec := []string{strconv.FormatInt(m.Version, 10), m.Name, state(isApplied(m.Version))}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// WriteStatusLines writes one tab-separated line per migration and checks the
// writer's error after flushing.
func WriteStatusLines(w io.Writer, all []Migration, isApplied func(int64) bool) error {
	cw := csv.NewWriter(w)
	cw.Comma = '\t'
	for _, m := range all {
		if err := cw.Write([]string{m.Name, state(isApplied(m.Version))}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error() // ok: flushed explicitly and the error checked
}
