// Package checkpoint persists solver state so that long batch runs can resume.
// Every checkpoint is written to a temporary file and renamed into place.
package checkpoint

import (
	"bufio"
	"compress/gzip"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Checkpoint is the persisted state of one job at one step.
type Checkpoint struct {
	Job   string
	Step  int
	State []float64
	Saved time.Time
}

// Store keeps checkpoints under a directory, one gzip'd gob file per step.
type Store struct {
	dir  string
	keep int

	mu     sync.Mutex
	latest map[string]int
}

// Open returns a store rooted at dir, creating it when needed.
func Open(dir string, keep int) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	if keep < 1 {
		keep = 1
	}
	return &Store{dir: dir, keep: keep, latest: make(map[string]int)}, nil
}

func (s *Store) path(job string, step int) string {
	return filepath.Join(s.dir, fmt.Sprintf("%s.%08d.ckpt.gz", job, step))
}

func parseStep(name, job string) (int, bool) {
	rest, ok := strings.CutPrefix(name, job+".")
	if !ok {
		return 0, false
	}
	num, ok := strings.CutSuffix(rest, ".ckpt.gz")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	return n, err == nil
}

// writeAtomic writes through write into a temporary file next to path and renames it
// into place only when every write, flush, sync and close succeeded.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriter(f)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Save writes cp atomically and records it as the latest step of its job.
func (s *Store) Save(cp *Checkpoint) error {
	cp.Saved = time.Now().UTC()
	err := writeAtomic(s.path(cp.Job, cp.Step), func(w io.Writer) error {
		zw := gzip.NewWriter(w)
		if err := gob.NewEncoder(zw).Encode(cp); err != nil {
			zw.Close()
			return err
		}
		return zw.Close()
	})
	if err != nil {
		return fmt.Errorf("checkpoint %s@%d: %w", cp.Job, cp.Step, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cp.Step > s.latest[cp.Job] {
		s.latest[cp.Job] = cp.Step
	}
	return nil
}

// Load reads the checkpoint of job at step.
func (s *Store) Load(job string, step int) (*Checkpoint, error) {
	f, err := os.Open(s.path(job, step))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s@%d: %w", job, step, err)
	}
	defer zr.Close()
	var cp Checkpoint
	if err := gob.NewDecoder(zr).Decode(&cp); err != nil {
		return nil, fmt.Errorf("checkpoint %s@%d: decode: %w", job, step, err)
	}
	return &cp, nil
}

// Steps lists the stored steps of job in ascending order.
func (s *Store) Steps(job string) ([]int, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var steps []int
	for _, e := range entries {
		if n, ok := parseStep(e.Name(), job); ok {
			steps = append(steps, n)
		}
	}
	sort.Ints(steps)
	return steps, nil
}

// Latest loads the newest checkpoint of job; ok is false when there is none.
func (s *Store) Latest(job string) (cp *Checkpoint, ok bool, err error) {
	steps, err := s.Steps(job)
	if err != nil || len(steps) == 0 {
		return nil, false, err
	}
	cp, err = s.Load(job, steps[len(steps)-1])
	if err != nil {
		return nil, false, err
	}
	return cp, true, nil
}

// VerifyAll decodes the header of every checkpoint of job and reports the broken ones.
func (s *Store) VerifyAll(job string) ([]string, error) {
	steps, err := s.Steps(job)
	if err != nil {
		return nil, err
	}
	var broken []string
	for _, step := range steps {
		f, err := os.Open(s.path(job, step))
		if err != nil {
			broken = append(broken, fmt.Sprintf("%d: %v", step, err))
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := gzip.NewReader(f); err != nil {
			broken = append(broken, fmt.Sprintf("%d: %v", step, err))
		}
	}
	return broken, nil
}

// VerifyEach is VerifyAll with each file closed before the next one is opened.
func (s *Store) VerifyEach(job string) ([]string, error) {
	steps, err := s.Steps(job)
	if err != nil {
		return nil, err
	}
	var broken []string
	for _, step := range steps {
		err := func() error {
			f, err := os.Open(s.path(job, step))
			if err != nil {
				return err
			}
			defer f.Close()
			zr, err := gzip.NewReader(f)
			if err != nil {
				return err
			}
			defer zr.Close()
			_, err = io.Copy(io.Discard, zr)
			return err
		}()
		if err != nil {
			broken = append(broken, fmt.Sprintf("%d: %v", step, err))
		}
	}
	return broken, nil
}

// Prune removes all but the newest keep checkpoints of job.
func (s *Store) Prune(job string) error {
	var err error
	d, err := os.Open(s.dir)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := d.Close(); cerr != nil {
			err = cerr
		}
	}()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return err
	}
	var steps []int
	for _, n := range names {
		if st, ok := parseStep(n, job); ok {
			steps = append(steps, st)
		}
	}
	sort.Ints(steps)
	for len(steps) > s.keep {
		if rerr := os.Remove(s.path(job, steps[0])); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
		steps = steps[1:]
	}
	return err
}

// manifest maps job name to its latest step.
type manifest map[string]int

func (s *Store) manifestPath() string { return filepath.Join(s.dir, "MANIFEST.json") }

// readManifest loads the manifest; a missing manifest is an empty one.
func (s *Store) readManifest() (manifest, error) {
	f, err := os.Open(s.manifestPath())
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return manifest{}, nil
		}
		return nil, err
	}
	m := manifest{}
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	return m, nil
}

// WriteManifest stores the latest step of every job known to s.
func (s *Store) WriteManifest() error {
	s.mu.Lock()
	m := make(manifest, len(s.latest))
	for k, v := range s.latest {
		m[k] = v
	}
	s.mu.Unlock()
	f, err := os.Create(s.manifestPath())
	if err != nil {
		return err
	}
	defer func() error { return f.Close() }() // HAZ defer-ineffective-return
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return err
	}
	return f.Sync()
}

// WriteManifestAtomic is WriteManifest through writeAtomic.
func (s *Store) WriteManifestAtomic() error {
	s.mu.Lock()
	m := make(manifest, len(s.latest))
	for k, v := range s.latest {
		m[k] = v
	}
	s.mu.Unlock()
	return writeAtomic(s.manifestPath(), func(w io.Writer) error {
		return json.NewEncoder(w).Encode(m)
	})
}
