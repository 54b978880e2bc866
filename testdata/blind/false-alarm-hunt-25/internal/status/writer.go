// Package status persists the observed status of each object as one JSON file per object.
package status

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/fah25/api"
)

// Record is what is stored for one object.
type Record struct {
	Namespace  string
	Name       string
	Generation int64
	Status     api.WidgetStatus
	UpdatedAt  time.Time
}

// Writer owns a status directory.
type Writer struct {
	dir string
	mu  sync.Mutex
}

// NewWriter creates dir if needed.
func NewWriter(dir string) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	return &Writer{dir: dir}, nil
}

// Dir returns the status directory.
func (w *Writer) Dir() string { return w.dir }

func (w *Writer) path(namespace, name string) string {
	if namespace == "" {
		namespace = "_cluster"
	}
	return filepath.Join(w.dir, namespace+"__"+name+".json")
}

// Write replaces the status file of rec atomically: temp file, fsync, close, rename.
func (w *Writer) Write(rec Record) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	tmp, err := os.CreateTemp(w.dir, ".status-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	if err := json.NewEncoder(tmp).Encode(rec); err != nil {
		return fmt.Errorf("status: encode %s/%s: %w", rec.Namespace, rec.Name, err)
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), w.path(rec.Namespace, rec.Name))
}

// Read returns the stored status of one object.
func (w *Writer) Read(namespace, name string) (Record, error) {
	var rec Record
	f, err := os.Open(w.path(namespace, name))
	if err != nil {
		return rec, err
	}
	defer f.Close()
	err = json.NewDecoder(f).Decode(&rec)
	return rec, err
}

// Remove deletes the status of one object; a missing file is not an error.
func (w *Writer) Remove(namespace, name string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	err := os.Remove(w.path(namespace, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// AppendHistory appends one line to the object's history log.
func (w *Writer) AppendHistory(rec Record) (err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f, err := os.OpenFile(filepath.Join(w.dir, "history.jsonl"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return json.NewEncoder(f).Encode(rec)
}

// WriteSummary writes one JSON line per record to summary.jsonl, for dashboards.
func (w *Writer) WriteSummary(records []Record) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	f, err := os.Create(filepath.Join(w.dir, "summary.jsonl"))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, rec := range records {
		line := map[string]any{
			"object": rec.Namespace + "/" + rec.Name,
			"phase":  rec.Status.Phase,
			"ready":  rec.Status.ReadyReplicas,
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return nil
}

// persist writes the status file and appends the record to the history log.
func (w *Writer) persist(rec Record) error {
	if err := w.Write(rec); err != nil {
		return err
	}
	return w.AppendHistory(rec)
}

// Update stamps and persists one record.
func (w *Writer) Update(rec Record) error {
	rec.UpdatedAt = time.Now()
	return w.persist(rec)
}

// UpdateAll persists a batch while holding the writer's mutex, so two batches never interleave.
func (w *Writer) UpdateAll(records []Record) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	for _, rec := range records {
		rec.UpdatedAt = now
		if err := w.persist(rec); err != nil { // HAZ lock-reentry-under-defer
			return err
		}
	}
	return nil
}

// LoadAll reads every status file of dir, sorted by object.
func LoadAll(dir string) ([]Record, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		var rec Record
		if err := json.NewDecoder(f).Decode(&rec); err != nil {
			return nil, fmt.Errorf("status: %s: %w", e.Name(), err)
		}
		out = append(out, rec)
	}
	sortRecords(out)
	return out, nil
}

// ReadAll is LoadAll on the writer's directory, one file open at a time.
func (w *Writer) ReadAll() ([]Record, error) {
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		return nil, err
	}
	out := make([]Record, 0, len(entries))
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		rec, err := readRecord(filepath.Join(w.dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	sortRecords(out)
	return out, nil
}

func readRecord(path string) (Record, error) {
	var rec Record
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return rec, err
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&rec); err != nil {
		return rec, fmt.Errorf("status: %s: %w", filepath.Base(path), err)
	}
	return rec, nil
}

func sortRecords(recs []Record) {
	sort.Slice(recs, func(i, j int) bool {
		if recs[i].Namespace != recs[j].Namespace {
			return recs[i].Namespace < recs[j].Namespace
		}
		return recs[i].Name < recs[j].Name
	})
}

// Changed reports whether two status files differ in generation or phase.
func Changed(pathA, pathB string) (bool, error) {
	fa, err := os.Open(pathA)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(pathB)
	if err != nil {
		return false, err
	}
	defer fb.Close()

	var a, b Record
	if err = json.NewDecoder(fa).Decode(&a); err != nil {
		return false, err
	}
	if err = json.NewDecoder(fb).Decode(&b); err != nil {
		return false, err
	}
	return a.Generation != b.Generation || a.Status.Phase != b.Status.Phase, nil
}
