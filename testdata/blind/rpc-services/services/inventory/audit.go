package inventory

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"
)

// AuditEvent is one stock change.
type AuditEvent struct {
	Time  time.Time `json:"time"`
	Op    string    `json:"op"`
	SKU   string    `json:"sku"`
	Qty   int       `json:"qty"`
	Actor string    `json:"actor,omitempty"`
}

// AuditLog appends events as JSON lines to a file.
type AuditLog struct {
	mu   sync.Mutex
	path string
	f    *os.File
	w    *bufio.Writer
}

// OpenAudit opens (or creates) the audit file for appending.
func OpenAudit(path string) (*AuditLog, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return nil, err
	}
	return &AuditLog{path: path, f: f, w: bufio.NewWriter(f)}, nil
}

// Record buffers one event; Sync makes it durable.
func (a *AuditLog) Record(ev AuditEvent) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return errors.New("audit log closed")
	}
	return a.writeLocked(ev)
}

// Sync flushes the buffer and fsyncs the file.
func (a *AuditLog) Sync() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.w.Flush(); err != nil {
		return err
	}
	return a.f.Sync()
}

// Close flushes and closes; both errors are reported.
func (a *AuditLog) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return nil
	}
	err := errors.Join(a.w.Flush(), a.f.Close())
	a.f = nil
	return err
}

// Rotate moves the current file to archive and starts a new one.
func (a *AuditLog) Rotate(archive string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.w.Flush(); err != nil {
		return err
	}
	if err := a.f.Sync(); err != nil {
		return err
	}
	if err := os.Rename(a.path, archive); err != nil {
		return err
	}
	f, err := os.OpenFile(a.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	old := a.f
	a.f, a.w = f, bufio.NewWriter(f)
	defer func() error { // HAZ defer-ineffective-return
		if err := old.Close(); err != nil {
			return fmt.Errorf("close rotated audit log: %w", err)
		}
		return nil
	}()
	return a.writeLocked(AuditEvent{Time: time.Now(), Op: "rotate", Actor: archive})
}

// writeLocked must be called with a.mu held.
func (a *AuditLog) writeLocked(ev AuditEvent) error {
	buf, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	_, err = a.w.Write(append(buf, '\n'))
	return err
}

// ExportAudit writes events as JSON lines for the finance team.
func ExportAudit(path string, events []AuditEvent) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, ev := range events {
		if err := enc.Encode(ev); err != nil {
			return err
		}
	}
	return nil
}

// ExportAuditCSV writes events as CSV; the close error reaches the caller
// through the named result.
func ExportAuditCSV(path string, events []AuditEvent) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return writeAuditCSV(f, events)
}

func writeAuditCSV(w io.Writer, events []AuditEvent) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"time", "op", "sku", "qty", "actor"}); err != nil {
		return err
	}
	for _, ev := range events {
		row := []string{ev.Time.Format(time.RFC3339), ev.Op, ev.SKU, strconv.Itoa(ev.Qty), ev.Actor}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadAudit reads an audit file; it is opened read-only.
func ReadAudit(path string) ([]AuditEvent, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []AuditEvent
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var ev AuditEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return out, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, ev)
	}
	return out, sc.Err()
}
