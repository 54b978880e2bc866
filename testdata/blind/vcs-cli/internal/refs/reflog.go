package refs

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"example.com/vcscli/internal/object"
)

// ReflogEntry records one movement of a ref.
type ReflogEntry struct {
	Old, New object.ID
	Who      string
	When     time.Time
	Msg      string
}

func (s *Store) logPath(name string) string {
	return filepath.Join(s.dir, "logs", filepath.FromSlash(name))
}

func formatReflog(e ReflogEntry) string {
	return fmt.Sprintf("%s %s %s %d\t%s\n", e.Old, e.New, e.Who, e.When.Unix(), strings.ReplaceAll(e.Msg, "\n", " "))
}

func parseReflog(line string) (ReflogEntry, error) {
	head, msg, _ := strings.Cut(line, "\t")
	f := strings.Fields(head)
	if len(f) < 4 {
		return ReflogEntry{}, fmt.Errorf("refs: malformed reflog line %q", line)
	}
	oldID, err := object.ParseID(f[0])
	if err != nil {
		return ReflogEntry{}, err
	}
	newID, err := object.ParseID(f[1])
	if err != nil {
		return ReflogEntry{}, err
	}
	secs, err := strconv.ParseInt(f[len(f)-1], 10, 64)
	if err != nil {
		return ReflogEntry{}, err
	}
	return ReflogEntry{
		Old:  oldID,
		New:  newID,
		Who:  strings.Join(f[2:len(f)-1], " "),
		When: time.Unix(secs, 0),
		Msg:  msg,
	}, nil
}

// AppendReflog adds e to the log of name.
func (s *Store) AppendReflog(name string, e ReflogEntry) (err error) {
	p := s.logPath(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.WriteString(f, formatReflog(e))
	return err
}

// ReadReflog returns the log of name, oldest first.
func (s *Store) ReadReflog(name string) ([]ReflogEntry, error) {
	f, err := os.Open(s.logPath(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []ReflogEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		e, err := parseReflog(sc.Text())
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// ExpireReflog drops the entries of name older than before.
func (s *Store) ExpireReflog(name string, before time.Time) error {
	entries, err := s.ReadReflog(name)
	if err != nil {
		return err
	}
	kept := entries[:0]
	for _, e := range entries {
		if !e.When.Before(before) {
			kept = append(kept, e)
		}
	}
	if len(kept) == len(entries) {
		return nil
	}
	f, err := os.OpenFile(s.logPath(name), os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	for _, e := range kept {
		if _, err := io.WriteString(w, formatReflog(e)); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}
