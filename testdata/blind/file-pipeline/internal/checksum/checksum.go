// Package checksum computes and verifies SHA-256 manifests of file trees.
package checksum

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"example.com/filepipeline/internal/fsutil"
)

// Sum is a SHA-256 digest.
type Sum [sha256.Size]byte

// String returns the digest in lower-case hex.
func (s Sum) String() string { return hex.EncodeToString(s[:]) }

// ParseSum parses a hex digest.
func ParseSum(s string) (Sum, error) {
	var out Sum
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return out, err
	}
	if len(b) != len(out) {
		return out, fmt.Errorf("checksum: digest has %d bytes, want %d", len(b), len(out))
	}
	copy(out[:], b)
	return out, nil
}

// HashReader hashes everything from r.
func HashReader(r io.Reader) (Sum, int64, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	var s Sum
	h.Sum(s[:0])
	return s, n, err
}

// HashFile hashes the file at path.
func HashFile(path string) (Sum, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return Sum{}, 0, err
	}
	defer f.Close()
	return HashReader(f)
}

// SumFiles hashes every path of the sequence.
func SumFiles(paths iter.Seq[string]) (map[string]Sum, error) {
	out := make(map[string]Sum)
	for p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		s, _, err := HashReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out[p] = s
	}
	return out, nil
}

// SumEach hashes every path of the sequence, one open file at a time.
func SumEach(paths iter.Seq[string]) iter.Seq2[string, Sum] {
	return func(yield func(string, Sum) bool) {
		for p := range paths {
			s, _, err := HashFile(p)
			if err != nil {
				continue
			}
			if !yield(p, s) {
				return
			}
		}
	}
}

// SumSeq hashes every path of seq by handing the iterator a callback; each
// file is closed when its callback returns.
func SumSeq(seq iter.Seq[string]) map[string]Sum {
	out := make(map[string]Sum)
	seq(func(p string) bool {
		f, err := os.Open(p)
		if err != nil {
			return true
		}
		defer f.Close()
		if s, _, err := HashReader(f); err == nil {
			out[p] = s
		}
		return true
	})
	return out
}

// SumWithContext hashes path but gives up waiting when ctx is done.
func SumWithContext(ctx context.Context, path string) (Sum, error) {
	type result struct {
		sum Sum
		err error
	}
	ch := make(chan result)
	go func() {
		s, _, err := HashFile(path)
		ch <- result{s, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.sum, r.err
	case <-ctx.Done():
		return Sum{}, ctx.Err()
	}
}

// SumWithTimeout hashes path but gives up waiting after d. The hashing
// goroutine can always deliver its result and exit.
func SumWithTimeout(path string, d time.Duration) (Sum, error) {
	type result struct {
		sum Sum
		err error
	}
	ch := make(chan result, 1)
	go func() {
		s, _, err := HashFile(path)
		ch <- result{s, err}
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r.sum, r.err
	case <-timer.C:
		return Sum{}, fmt.Errorf("checksum: %s: timed out after %v", path, d)
	}
}

// Manifest maps slash-separated relative paths to digests.
type Manifest struct {
	Entries map[string]Sum
}

// NewManifest returns an empty manifest.
func NewManifest() *Manifest {
	return &Manifest{Entries: make(map[string]Sum)}
}

// Add records the digest of path.
func (m *Manifest) Add(path string, s Sum) {
	m.Entries[filepath.ToSlash(path)] = s
}

// Sorted yields the entries in path order.
func (m *Manifest) Sorted() iter.Seq2[string, Sum] {
	return func(yield func(string, Sum) bool) {
		for _, p := range slices.Sorted(maps.Keys(m.Entries)) {
			if !yield(p, m.Entries[p]) {
				return
			}
		}
	}
}

// WriteTo writes the manifest in sha256sum format.
func (m *Manifest) WriteTo(w io.Writer) (int64, error) {
	bw := bufio.NewWriter(w)
	var total int64
	for p, s := range m.Sorted() {
		n, err := fmt.Fprintf(bw, "%s  %s\n", s, p)
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, bw.Flush()
}

// Save writes the manifest to path atomically.
func (m *Manifest) Save(path string) error {
	return fsutil.WriteWith(path, 0o644, func(w io.Writer) error {
		_, err := m.WriteTo(w)
		return err
	})
}

// ParseManifest reads a manifest in sha256sum format.
func ParseManifest(r io.Reader) (*Manifest, error) {
	m := NewManifest()
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		hexsum, path, ok := strings.Cut(line, "  ")
		if !ok {
			return nil, fmt.Errorf("manifest line %d: missing separator", n)
		}
		s, err := ParseSum(hexsum)
		if err != nil {
			return nil, fmt.Errorf("manifest line %d: %w", n, err)
		}
		m.Entries[path] = s
	}
	return m, sc.Err()
}

// LoadManifest reads the manifest file at path.
func LoadManifest(path string) (*Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseManifest(f)
}

// ErrMismatch is wrapped by Verify for each file whose digest changed.
var ErrMismatch = errors.New("checksum mismatch")

// Verify re-hashes every file of the manifest under root and returns one
// error per missing or changed file.
func (m *Manifest) Verify(root string) error {
	var errs []error
	for p, want := range m.Sorted() {
		got, _, err := HashFile(filepath.Join(root, filepath.FromSlash(p)))
		switch {
		case err != nil:
			errs = append(errs, err)
		case got != want:
			errs = append(errs, fmt.Errorf("%s: %w", p, ErrMismatch))
		}
	}
	return errors.Join(errs...)
}

// Diff reports the paths added, removed and changed from old to m.
func (m *Manifest) Diff(old *Manifest) (added, removed, changed []string) {
	for p, s := range m.Sorted() {
		prev, ok := old.Entries[p]
		switch {
		case !ok:
			added = append(added, p)
		case prev != s:
			changed = append(changed, p)
		}
	}
	for p := range old.Sorted() {
		if _, ok := m.Entries[p]; !ok {
			removed = append(removed, p)
		}
	}
	return added, removed, changed
}
