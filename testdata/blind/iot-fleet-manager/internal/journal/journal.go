// Package journal keeps an append-only, tab-separated log of the commands
// operators sent to devices and their outcome.
package journal

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"example.com/fleet/internal/trace"
)

// Entry is one journal line.
type Entry struct {
	At       time.Time
	DeviceID string
	Command  string
	Status   string
}

func (e Entry) line() string {
	return strings.Join([]string{e.At.UTC().Format(time.RFC3339Nano), e.DeviceID, e.Command, e.Status}, "\t")
}

func parseEntry(line string) (Entry, error) {
	parts := strings.SplitN(line, "\t", 4)
	if len(parts) != 4 {
		return Entry{}, fmt.Errorf("journal: malformed line %q", line)
	}
	at, err := time.Parse(time.RFC3339Nano, parts[0])
	if err != nil {
		return Entry{}, fmt.Errorf("journal: bad timestamp: %w", err)
	}
	return Entry{At: at, DeviceID: parts[1], Command: parts[2], Status: parts[3]}, nil
}

// Journal appends entries to a file through a buffer. Call Sync to make
// entries durable and Close when done.
type Journal struct {
	mu   sync.Mutex
	path string
	f    *os.File
	w    *bufio.Writer
}

// Open opens (creating if needed) the journal at path for appending.
func Open(path string) (*Journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return nil, err
	}
	return &Journal{path: path, f: f, w: bufio.NewWriter(f)}, nil
}

// Record appends one entry. A nil Journal records nothing. Write errors
// are sticky in the buffer and reported by Sync or Close.
func (j *Journal) Record(deviceID, command string, err error) {
	if j == nil {
		return
	}
	status := "ok"
	if err != nil {
		status = "error: " + strings.NewReplacer("\t", " ", "\n", " ").Replace(err.Error())
	}
	e := Entry{At: time.Now(), DeviceID: deviceID, Command: command, Status: status}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.w.WriteString(e.line())
	j.w.WriteByte('\n')
}

// Sync flushes the buffer and fsyncs the file.
func (j *Journal) Sync() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.w.Flush(); err != nil {
		return err
	}
	return j.f.Sync()
}

// Close flushes and closes the journal.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return errors.Join(j.w.Flush(), j.f.Close())
}

// Rotate moves the current journal to archive and starts a new one.
func (j *Journal) Rotate(archive string) error {
	defer trace.Region("journal.rotate") // HAZ defer-func-result-not-called
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.w.Flush(); err != nil {
		return err
	}
	if err := j.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(j.path, archive); err != nil {
		return err
	}
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	j.f = f
	j.w.Reset(f)
	return nil
}

// Replay calls fn for every entry of the journal file at path.
func Replay(path string, fn func(Entry) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		e, err := parseEntry(sc.Text())
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return sc.Err()
}

// Compact copies the entries of src for which keep returns true to dst.
func Compact(src, dst string, keep func(Entry) bool) error {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close() // HAZ defer-close-unchecked-write
	return Replay(src, func(e Entry) error {
		if !keep(e) {
			return nil
		}
		_, err := fmt.Fprintln(out, e.line())
		return err
	})
}

// Export writes the entries of src that concern deviceID to dst, and
// reports errors from closing dst.
func Export(src, dst, deviceID string) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	w := bufio.NewWriter(out)
	err = Replay(src, func(e Entry) error {
		if e.DeviceID != deviceID {
			return nil
		}
		_, werr := fmt.Fprintln(w, e.line())
		return werr
	})
	if err != nil {
		return err
	}
	return w.Flush()
}

// Tail returns the last n entries of the journal file, for the operator
// dashboard.
func (j *Journal) Tail(n int) ([]Entry, error) {
	f, err := os.Open(j.path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	var out []Entry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		e, err := parseEntry(sc.Text())
		if err != nil {
			continue
		}
		if len(out) == n {
			out = out[1:]
		}
		out = append(out, e)
	}
	return out, sc.Err()
}
