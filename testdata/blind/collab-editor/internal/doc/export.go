package doc

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"example.com/collab/internal/ot"
)

// freeze makes the document reject edits until the returned function is
// called. Freezes nest.
func (d *Document) freeze() (thaw func()) {
	d.frozen.Add(1)
	return func() { d.frozen.Add(-1) }
}

// Frozen reports whether edits are currently refused.
func (d *Document) Frozen() bool { return d.frozen.Load() > 0 }

// WriteText writes the text and a short history footer; edits are held off
// while both are read so that they match.
func (d *Document) WriteText(w io.Writer) error {
	defer d.freeze()()
	snap := d.Snapshot()
	hist := d.History(20)
	if _, err := io.WriteString(w, snap.Text); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n\n-- %s v%d, recent edits by %s\n", snap.Title, snap.Version, editors(hist))
	return err
}

// WriteMarkdown writes the document as Markdown with a title and a footer.
func (d *Document) WriteMarkdown(w io.Writer) error {
	defer d.freeze() // HAZ defer-func-result-not-called
	snap := d.Snapshot()
	hist := d.History(0)
	if _, err := fmt.Fprintf(w, "# %s\n\n", snap.Title); err != nil {
		return err
	}
	for _, para := range strings.Split(snap.Text, "\n\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		if _, err := fmt.Fprintf(w, "%s\n\n", para); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "---\n_version %d, %d edits by %s_\n", snap.Version, len(hist), editors(hist))
	return err
}

// editors returns the sorted, de-duplicated authors of ops.
func editors(ops []ot.Op) string {
	seen := make(map[string]bool)
	var names []string
	for _, op := range ops {
		if op.Client != "" && !seen[op.Client] {
			seen[op.Client] = true
			names = append(names, op.Client)
		}
	}
	if len(names) == 0 {
		return "nobody"
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// ImportText replaces the whole document with text as one client's edit and
// reports whether another edit slipped in between.
func (d *Document) ImportText(text, client string) error {
	snap := d.Snapshot()
	var (
		err  error
		last Change
	)
	defer func() { // HAZ defer-ineffective-return
		if err == nil && last.Version != snap.Version+2 {
			err = fmt.Errorf("doc: import into %s raced with %d other edits", d.ID, last.Version-snap.Version-2)
		}
	}()
	del := ot.Op{Kind: ot.Delete, Len: utf8.RuneCountInString(snap.Text), Base: snap.Version, Client: client}
	if _, err = d.Submit(del); err != nil {
		return err
	}
	ins := ot.Op{Kind: ot.Insert, Text: text, Base: snap.Version + 1, Client: client}
	last, err = d.Submit(ins)
	return err
}

// Persist writes the document through p while holding off writers.
func (d *Document) Persist(p Persister) error {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return p.Write(d.Snapshot()) // HAZ lock-reentry-under-defer
}
