package spool

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"time"
)

// AppendJournal appends delivery log lines to the spool journal and syncs
// it, so that "mailctl log" still shows them after a crash.
func (s *Spool) AppendJournal(lines []string) error {
	f, err := os.OpenFile(filepath.Join(s.dir, "journal.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()
	stamp := time.Now().UTC().Format(time.RFC3339)
	for _, l := range lines {
		if _, err := bw.WriteString(stamp + " " + l + "\n"); err != nil {
			return err
		}
	}
	return f.Sync()
}

// ReadJournal copies the rotated journal, then the current one, to w.
func (s *Spool) ReadJournal(w io.Writer) error {
	path := filepath.Join(s.dir, "journal.log")
	f, err := os.Open(path + ".1")
	if err == nil {
		defer f.Close() // HAZ defer-eager-evaluation
		if _, err := io.Copy(w, f); err != nil {
			return err
		}
	}
	f, err = os.Open(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, f)
	return err
}
