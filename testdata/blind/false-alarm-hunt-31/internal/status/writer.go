// Package status persists object status and reports to disk.
package status

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync/atomic"
	"time"

	"example.com/fah31/api"
)

// Writer writes status files below dir.
type Writer struct {
	dir     string
	written atomic.Int64
}

// NewWriter returns a writer for dir.
func NewWriter(dir string) *Writer { return &Writer{dir: dir} }

func (w *Writer) pathFor(obj *api.Object) string {
	return filepath.Join(w.dir, obj.Namespace+"_"+obj.Name+".status.json")
}

// WriteStatus persists obj's status atomically.
func (w *Writer) WriteStatus(obj *api.Object) error {
	err := writeFileAtomic(w.pathFor(obj), func(bw io.Writer) error {
		enc := json.NewEncoder(bw)
		enc.SetIndent("", "  ")
		return enc.Encode(obj.Status)
	})
	if err == nil {
		w.written.Add(1)
	}
	return err
}

// writeFileAtomic writes through a buffered writer into a temp file, checks
// Flush and Close on the success path, and renames it into place. On failure
// the temp file is removed and that error is joined into the named result.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, os.Remove(f.Name()))
		}
	}()
	bw := bufio.NewWriter(f)
	if err = write(bw); err != nil {
		f.Close()
		return err
	}
	if err = bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

type report struct {
	Generated time.Time       `json:"generated"`
	Phases    map[string]int  `json:"phases"`
	Failing   []string        `json:"failing"`
	Objects   []reportSummary `json:"objects"`
}

type reportSummary struct {
	Key   string `json:"key"`
	Phase string `json:"phase"`
}

func buildReport(objs []*api.Object) report {
	r := report{Generated: time.Now().UTC(), Phases: map[string]int{}}
	for _, o := range objs {
		r.Phases[o.Status.Phase]++
		r.Objects = append(r.Objects, reportSummary{Key: api.KeyOf(o), Phase: o.Status.Phase})
		for _, c := range o.Status.Conditions {
			if c.Type == "Ready" && c.Status == "False" {
				r.Failing = append(r.Failing, api.KeyOf(o))
			}
		}
	}
	sort.Strings(r.Failing)
	return r
}

// WriteReport writes a JSON summary of all objects to path.
func (w *Writer) WriteReport(objs []*api.Object, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(buildReport(objs))
}

// WriteReportChecked is WriteReport with the close error in the named result.
func (w *Writer) WriteReportChecked(objs []*api.Object, path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(buildReport(objs))
}

// WriteConditions writes a plain-text table; the deferred Close covers the
// error paths and the success path returns the checked Close.
func (w *Writer) WriteConditions(obj *api.Object) error {
	f, err := os.Create(w.pathFor(obj) + ".conditions")
	if err != nil {
		return err
	}
	defer f.Close()
	for _, c := range obj.Status.Conditions {
		if _, err := fmt.Fprintf(f, "%-12s %-6s %-20s %s\n", c.Type, c.Status, c.Reason, c.Message); err != nil {
			return err
		}
	}
	return f.Close()
}

// AppendHistory appends one line to obj's history; Sync is checked on the
// success path before the deferred Close.
func (w *Writer) AppendHistory(obj *api.Object, c api.Condition) error {
	f, err := os.OpenFile(w.pathFor(obj)+".history", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, "%s %s=%s %s\n", c.LastTransitionTime.Format(time.RFC3339), c.Type, c.Status, c.Reason); err != nil {
		return err
	}
	return f.Sync()
}

// ReadStatus loads a status file; read-only, so the deferred Close is fine.
func (w *Writer) ReadStatus(obj *api.Object) (api.Status, error) {
	f, err := os.Open(w.pathFor(obj))
	if err != nil {
		return api.Status{}, err
	}
	defer f.Close()
	var st api.Status
	err = json.NewDecoder(f).Decode(&st)
	return st, err
}

// Written returns how many status files were written.
func (w *Writer) Written() int64 { return w.written.Load() }
