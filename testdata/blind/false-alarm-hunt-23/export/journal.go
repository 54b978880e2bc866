package export

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"
)

// Entry is one journal record.
type Entry struct {
	At    time.Time `json:"at"`
	Op    string    `json:"op"`
	Table string    `json:"table"`
	Key   string    `json:"key"`
}

// Journal is an append-only JSON-lines file of changes.
type Journal struct {
	mu   sync.Mutex
	path string
}

// OpenJournal returns a journal at path; the file is created on first use.
func OpenJournal(path string) *Journal {
	return &Journal{path: path}
}

// Append adds one entry.
func (j *Journal) Append(e Entry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.Write(append(line, '\n'))
	return err
}

// AppendBatch adds entries with one open and one write. The deferred Close
// covers the early returns; on success Close is called again explicitly and
// its error returned.
func (j *Journal) AppendBatch(entries []Entry) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// Replay calls fn for every entry in order.
func (j *Journal) Replay(fn func(Entry) error) error {
	f, err := os.OpenFile(j.path, os.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return fmt.Errorf("export: %s:%d: %w", j.path, line, err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return sc.Err()
}

// Reset empties the journal.
func (j *Journal) Reset() error {
	j.mu.Lock() // HAZ lock-leaked-on-return
	if err := os.Truncate(j.path, 0); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	j.mu.Unlock()
	return nil
}

// Compact rewrites the journal keeping only the newest entry per key.
func (j *Journal) Compact() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	latest := map[string]Entry{}
	var order []string
	err := j.Replay(func(e Entry) error {
		k := e.Table + "/" + e.Key
		if _, seen := latest[k]; !seen {
			order = append(order, k)
		}
		latest[k] = e
		return nil
	})
	if err != nil {
		return err
	}
	if err := os.Truncate(j.path, 0); err != nil {
		return err
	}
	for _, k := range order {
		if err := j.Append(latest[k]); err != nil { // HAZ lock-reentry-under-defer
			return err
		}
	}
	return nil
}

// Rotate renames the journal to path.suffix and starts an empty one. The
// lock is held for the whole rotation; createLocked does not take it again.
func (j *Journal) Rotate(suffix string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := os.Rename(j.path, j.path+"."+suffix); err != nil {
		return err
	}
	return j.createLocked()
}

// createLocked creates an empty journal file; j.mu must be held.
func (j *Journal) createLocked() error {
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	return f.Close()
}
