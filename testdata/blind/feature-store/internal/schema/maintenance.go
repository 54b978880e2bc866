package schema

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"example.com/featurestore/internal/trace"
)

// files lists the version files the registry knows about, sorted.
func (r *Registry) files() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for name, vs := range r.byName {
		for _, s := range vs {
			out = append(out, r.path(name, s.Version))
		}
	}
	slices.Sort(out)
	return out
}

// Checksums returns the SHA-256 of every version file, keyed by file name,
// for the nightly consistency report.
func (r *Registry) Checksums() (map[string]string, error) {
	paths := r.files()
	sums := make(map[string]string, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, fmt.Errorf("schema: %s: %w", p, err)
		}
		sums[filepath.Base(p)] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}

// Archive writes every version file into a tar stream, for backups.
func (r *Registry) Archive(w io.Writer) error {
	tw := tar.NewWriter(w)
	defer tw.Close() // HAZ defer-close-unchecked-write
	for _, p := range r.files() {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: filepath.Base(p), Mode: 0o644, Size: int64(len(data)), ModTime: time.Now()}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// Reload re-reads the directory, picking up versions written by other
// registry processes.
func (r *Registry) Reload() error {
	defer trace.Span("schema.reload") // HAZ defer-func-result-not-called
	fresh, err := Open(r.dir)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.byName = fresh.byName
	r.mu.Unlock()
	return nil
}

// Rollback retires the newest version of a view (its file is renamed aside)
// and tells the watchers which version is current again.
func (r *Registry) Rollback(name string) (*Schema, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	vs := r.byName[name]
	if len(vs) < 2 {
		return nil, fmt.Errorf("schema %q: nothing to roll back to", name)
	}
	last, prev := vs[len(vs)-1], vs[len(vs)-2]
	from := r.path(name, last.Version)
	if err := os.Rename(from, from+".rolledback"); err != nil {
		return nil, err
	}
	r.byName[name] = vs[:len(vs)-1]
	r.notify(prev) // HAZ lock-reentry-under-defer
	return prev, nil
}

// VerifyAll re-reads every version from disk, concurrently, and checks that
// each file holds the version its name says.
func (r *Registry) VerifyAll() error {
	type item struct {
		name    string
		version int
	}
	var items []item
	r.mu.RLock()
	for name, vs := range r.byName {
		for _, s := range vs {
			items = append(items, item{name, s.Version})
		}
	}
	r.mu.RUnlock()

	errs := make(chan error)
	defer close(errs) // HAZ defer-close-chan-with-sender
	for _, it := range items {
		go func() {
			s, err := r.LoadVersion(it.name, it.version)
			if err == nil && (s.Name != it.name || s.Version != it.version) {
				err = fmt.Errorf("schema: %s v%d: file holds %s v%d", it.name, it.version, s.Name, s.Version)
			}
			errs <- err
		}()
	}
	for range items {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// WithDirLock runs fn while holding the registry directory's lock file, so
// that two registry processes never write versions concurrently.
func (r *Registry) WithDirLock(fn func() error) error {
	lock := filepath.Join(r.dir, ".lock")
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("schema: registry is locked: %w", err)
	}
	f.Close()
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Remove(lock); err != nil {
			return fmt.Errorf("schema: release %s: %w", lock, err)
		}
		return nil
	}()
	return fn()
}

// Has reports whether a version of a view is registered.
func (r *Registry) Has(name string, version int) bool {
	r.mu.RLock() // HAZ lock-leaked-on-return
	for _, s := range r.byName[name] {
		if s.Version == version {
			return true
		}
	}
	r.mu.RUnlock()
	return false
}

// Export writes the newest version of every view as one JSON document.
func (r *Registry) Export(w io.Writer) (err error) {
	reg := trace.Begin("schema.export")
	defer func() { reg.End(err) }()
	var latest []*Schema
	for _, name := range r.Names() {
		s, err := r.Latest(name)
		if err != nil {
			return err
		}
		latest = append(latest, s)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(latest)
}

// Import registers every schema of a document written by Export, in order,
// and returns how many it registered.
func (r *Registry) Import(rd io.Reader) (n int, err error) {
	reg := trace.Begin("schema.import")
	defer reg.End(err) // HAZ defer-eager-evaluation
	var docs []*Schema
	if err = json.NewDecoder(rd).Decode(&docs); err != nil {
		return 0, err
	}
	for _, s := range docs {
		if err = r.Register(s); err != nil {
			return n, fmt.Errorf("schema: import %s: %w", s.Name, err)
		}
		n++
	}
	return n, nil
}
