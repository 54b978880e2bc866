// Package checkpoint persists consumer offsets and window state so that a
// restarted processor resumes where it stopped.
package checkpoint

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/streamproc/internal/metrics"
)

// State is what one checkpoint contains.
type State struct {
	Group     string            `json:"group"`
	Seq       int               `json:"seq"`
	Offsets   map[int]int64     `json:"offsets"`
	Windows   map[string]string `json:"windows,omitempty"`
	Watermark time.Time         `json:"watermark"`
	Taken     time.Time         `json:"taken"`
}

// Manifest lists the checkpoints kept on disk.
type Manifest struct {
	Latest string   `json:"latest"`
	Files  []string `json:"files"`
}

// Writer writes numbered checkpoint files into one directory.
type Writer struct {
	dir  string
	keep int
	reg  *metrics.Registry

	mu  sync.Mutex
	seq int
}

// NewWriter prepares dir and returns a writer that keeps the last keep files.
func NewWriter(dir string, keep int, reg *metrics.Registry) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("checkpoint dir: %w", err)
	}
	if keep < 1 {
		keep = 1
	}
	return &Writer{dir: dir, keep: keep, reg: reg}, nil
}

func (w *Writer) nextName() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seq++
	return filepath.Join(w.dir, fmt.Sprintf("ckpt-%08d.json", w.seq))
}

// Write stores st atomically: temp file, fsync, rename, fsync of the directory.
func (w *Writer) Write(st State) (err error) {
	defer metrics.Time(w.reg, "checkpoint_write")()
	final := w.nextName()
	tmp, err := os.CreateTemp(w.dir, ".ckpt-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	st.Taken = time.Now().UTC()
	if err = json.NewEncoder(tmp).Encode(st); err != nil {
		return fmt.Errorf("encode checkpoint: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), final); err != nil {
		return err
	}
	return syncDir(w.dir)
}

// syncDir makes a rename durable. The directory is opened read-only.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// logOutcome reports how a checkpoint operation ended.
func logOutcome(op string, seq int, err error) {
	if err != nil {
		log.Printf("checkpoint %s seq=%d failed: %v", op, seq, err)
		return
	}
	log.Printf("checkpoint %s seq=%d ok", op, seq)
}

// WriteAndPrune writes st, then prunes old checkpoints, and logs the outcome.
func (w *Writer) WriteAndPrune(st State) error {
	var err error
	defer logOutcome("write+prune", st.Seq, err) // HAZ defer-eager-evaluation
	if err = w.Write(st); err != nil {
		return err
	}
	err = w.Prune()
	return err
}

// WriteAndPruneLogged logs the outcome seen at exit through a closure.
func (w *Writer) WriteAndPruneLogged(st State) (err error) {
	defer func() { logOutcome("write+prune", st.Seq, err) }()
	if err = w.Write(st); err != nil {
		return err
	}
	return w.Prune()
}

// WriteQuick is the variant used on shutdown; the timer is taken at the defer
// and measured at exit.
func (w *Writer) WriteQuick(st State) error {
	defer w.reg.ObserveSince("checkpoint_quick", time.Now())
	return w.Write(st)
}

// WriteLabelled writes st and records which group it was for.
func (w *Writer) WriteLabelled(st State) error {
	defer metrics.Time(w.reg, "checkpoint_"+st.Group) // HAZ defer-func-result-not-called
	return w.Write(st)
}

// WriteManifest records which checkpoints exist.
func (w *Writer) WriteManifest(m Manifest) error {
	f, err := os.Create(filepath.Join(w.dir, "MANIFEST"))
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err = json.NewEncoder(f).Encode(m); err != nil {
		return err
	}
	return f.Sync()
}

// WriteManifestChecked is the corrected WriteManifest with a named result.
func (w *Writer) WriteManifestChecked(m Manifest) (err error) {
	f, err := os.Create(filepath.Join(w.dir, "MANIFEST"))
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
	}()
	return json.NewEncoder(f).Encode(m)
}

// List returns the checkpoint files, oldest first.
func List(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "ckpt-") && strings.HasSuffix(e.Name(), ".json") {
			names = append(names, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(names)
	return names, nil
}

// Load reads one checkpoint file.
func Load(path string) (State, error) {
	f, err := os.Open(path)
	if err != nil {
		return State{}, err
	}
	defer f.Close()
	var st State
	if err := json.NewDecoder(f).Decode(&st); err != nil {
		return State{}, fmt.Errorf("%s: %w", path, err)
	}
	return st, nil
}

// LoadLatest returns the newest readable checkpoint, skipping corrupt ones.
func LoadLatest(dir string) (State, error) {
	names, err := List(dir)
	if err != nil {
		return State{}, err
	}
	for i := len(names) - 1; i >= 0; i-- {
		st, err := Load(names[i])
		if err == nil {
			return st, nil
		}
	}
	return State{}, os.ErrNotExist
}

// Prune deletes all but the newest keep checkpoints.
func (w *Writer) Prune() error {
	names, err := List(w.dir)
	if err != nil {
		return err
	}
	if len(names) <= w.keep {
		return nil
	}
	var errs []error
	for _, n := range names[:len(names)-w.keep] {
		if err := os.Remove(n); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Verify decodes every checkpoint in dir; each file is closed before the next
// one is opened.
func Verify(dir string) (bad []string, err error) {
	names, err := List(dir)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		func() {
			f, err := os.Open(n)
			if err != nil {
				bad = append(bad, n)
				return
			}
			defer f.Close()
			var st State
			if json.NewDecoder(f).Decode(&st) != nil {
				bad = append(bad, n)
			}
		}()
	}
	return bad, nil
}
