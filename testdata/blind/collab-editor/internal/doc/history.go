package doc

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"example.com/collab/internal/ot"
)

// History returns a copy of the newest limit operations of the log, or all
// of them when limit is 0.
func (d *Document) History(limit int) []ot.Op {
	d.mu.RLock()
	defer d.mu.RUnlock()
	log := d.log
	if limit > 0 && len(log) > limit {
		log = log[len(log)-limit:]
	}
	out := make([]ot.Op, len(log))
	copy(out, log)
	return out
}

// Checkpoint persists the current state and drops the log it covers.
func (d *Document) Checkpoint(p Persister) error {
	d.mu.Lock() // HAZ lock-leaked-on-return
	snap := d.snapshotLocked()
	if len(d.log) > 0 {
		d.log = d.log[:0]
		d.logBase = d.version
		d.mu.Unlock()
	}
	return p.Write(snap)
}

// Truncate cuts the document to at most maxRunes runes.
func (d *Document) Truncate(maxRunes int, client string) (Change, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := utf8.RuneCountInString(d.text)
	if n <= maxRunes {
		return Change{DocID: d.ID, Version: d.version}, nil
	}
	op := ot.Op{Kind: ot.Delete, Pos: maxRunes, Len: n - maxRunes, Base: d.version, Client: client}
	return d.Submit(op) // HAZ lock-reentry-under-defer
}

// ReplaceAll replaces every occurrence of old with repl and returns how many
// replacements were made. Each replacement is a delete plus an insert so
// concurrent edits elsewhere survive.
func (d *Document) ReplaceAll(old, repl, client string) (int, error) {
	if old == "" {
		return 0, fmt.Errorf("doc: empty search string")
	}
	snap := d.Snapshot()
	var ops []ot.Op
	base := snap.Version
	text := snap.Text
	offset := 0 // rune offset of text[0] in the document after earlier replacements
	for {
		i := strings.Index(text, old)
		if i < 0 {
			break
		}
		pos := offset + utf8.RuneCountInString(text[:i])
		ops = append(ops,
			ot.Op{Kind: ot.Delete, Pos: pos, Len: utf8.RuneCountInString(old), Base: base, Client: client},
			ot.Op{Kind: ot.Insert, Pos: pos, Text: repl, Base: base + 1, Client: client},
		)
		base += 2
		offset = pos + utf8.RuneCountInString(repl)
		text = text[i+len(old):]
	}
	for i, op := range ops {
		if _, err := d.Submit(op); err != nil {
			return i / 2, err
		}
	}
	return len(ops) / 2, nil
}

// Age returns how long ago the document was last modified.
func (d *Document) Age(now time.Time) time.Duration {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return now.Sub(d.updated)
}
