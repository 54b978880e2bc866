package store

import (
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/fah17/internal/iterx"
)

// JournalEntry is one line of the journal.
type JournalEntry struct {
	At  time.Time
	Op  string
	Key string
}

func (s *Store) journalPath() string { return filepath.Join(s.root, "journal.log") }

// appendJournal records one operation.
func (s *Store) appendJournal(op, key string) error {
	f, err := os.OpenFile(s.journalPath(), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintf(f, "%s\t%s\t%s\n", time.Now().UTC().Format(time.RFC3339Nano), op, key)
	return err
}

// Journal yields the recorded operations, oldest first. Malformed lines are
// reported as errors and skipped.
func (s *Store) Journal() iter.Seq2[JournalEntry, error] {
	return func(yield func(JournalEntry, error) bool) {
		for line, err := range iterx.Lines(s.journalPath()) {
			if err != nil {
				yield(JournalEntry{}, err)
				return
			}
			parts := strings.SplitN(line, "\t", 3)
			if len(parts) != 3 {
				continue
			}
			at, err := time.Parse(time.RFC3339Nano, parts[0])
			if err != nil {
				if !yield(JournalEntry{}, fmt.Errorf("store: journal: %w", err)) {
					return
				}
				continue
			}
			if !yield(JournalEntry{At: at, Op: parts[1], Key: parts[2]}, nil) {
				return
			}
		}
	}
}
