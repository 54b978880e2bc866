package snapshot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

const pooledMax = 1 << 20

// Loader loads snapshots with bounded memory and time.
type Loader struct {
	budget  int64 // bytes of compressed parts loaded per call
	timeout time.Duration
	logf    func(string, ...any)
	pool    sync.Pool
}

// NewLoader returns a Loader.
func NewLoader(budget int64, timeout time.Duration, logf func(string, ...any)) *Loader {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	l := &Loader{budget: budget, timeout: timeout, logf: logf}
	l.pool.New = func() any { b := make([]byte, pooledMax); return &b }
	return l
}

// getBuf returns a pooled buffer of n bytes (n <= pooledMax) and the func
// that returns it to the pool.
func (l *Loader) getBuf(n int) ([]byte, func()) {
	bp := l.pool.Get().(*[]byte)
	return (*bp)[:n], func() { l.pool.Put(bp) }
}

// Snapshot is a loaded snapshot.
type Snapshot struct {
	Dir      string
	Manifest Manifest
	Parts    [][]Record
}

// LoadBudgeted loads parts, in manifest order, until the byte budget is
// used up; the returned snapshot holds only the parts that fit.
func (l *Loader) LoadBudgeted(ctx context.Context, dir string) (*Snapshot, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	results := make([][]Record, len(m.Parts))
	errs := make([]error, len(m.Parts))
	var wg sync.WaitGroup
	budget := l.budget
	var i int
	for i = 0; i < len(m.Parts) && budget >= m.Sizes[i]; i++ {
		budget -= m.Sizes[i]
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			results[i], errs[i] = readPart(filepath.Join(dir, m.Parts[i]))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &Snapshot{Dir: dir, Manifest: m, Parts: results[:i]}, nil
}

// LoadAll loads every part concurrently.
func (l *Loader) LoadAll(ctx context.Context, dir string) (*Snapshot, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	results := make([][]Record, len(m.Parts))
	errs := make([]error, len(m.Parts))
	var wg sync.WaitGroup
	for i, name := range m.Parts {
		wg.Add(1)
		go func() { // ok: i and name are per-iteration (Go 1.22)
			defer wg.Done()
			results[i], errs[i] = readPart(filepath.Join(dir, name))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &Snapshot{Dir: dir, Manifest: m, Parts: results}, nil
}

// Open reads the manifest and the first part, checking in the meantime that
// every other part is present.
func (l *Loader) Open(ctx context.Context, dir string) (*Snapshot, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if len(m.Parts) == 0 {
		return &Snapshot{Dir: dir, Manifest: m}, nil
	}
	type result struct {
		recs []Record
		err  error
	}
	first := make(chan result)
	go func() { // HAZ goroutine-blocked-send
		recs, err := readPart(filepath.Join(dir, m.Parts[0]))
		first <- result{recs, err}
	}()
	for _, name := range m.Parts[1:] {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return nil, fmt.Errorf("snapshot: missing part: %w", err)
		}
	}
	res := <-first
	if res.err != nil {
		return nil, res.err
	}
	return &Snapshot{Dir: dir, Manifest: m, Parts: [][]Record{res.recs}}, nil
}

// OpenWithin is Open bounded by l.timeout.
func (l *Loader) OpenWithin(ctx context.Context, dir string) (*Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	type result struct {
		snap *Snapshot
		err  error
	}
	done := make(chan result, 1) // ok: buffered, the sender never blocks
	go func() {
		s, err := l.LoadAll(ctx, dir)
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return r.snap, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Checksum returns the SHA-256 of a part file, reading small files through
// a pooled buffer.
func (l *Loader) Checksum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	var (
		buf     []byte
		release func()
	)
	if st.Size() <= pooledMax {
		buf, release = l.getBuf(int(st.Size()))
	} else {
		buf = make([]byte, st.Size())
	}
	defer release() // HAZ defer-nil-func
	if _, err := io.ReadFull(f, buf); err != nil {
		return "", err
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:]), nil
}

// ChecksumStream hashes a part file without loading it into memory.
func (l *Loader) ChecksumStream(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	buf, release := l.getBuf(pooledMax)
	defer release() // ok: getBuf always returns a non-nil func
	if _, err := io.CopyBuffer(h, f, buf); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// logPanic reports a panic in a decode worker.
func (l *Loader) logPanic(part string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.logf("snapshot: decoding %s panicked: %v", part, r)
	}
}

// Decode decodes every part concurrently into fn; a panicking part is
// logged and skipped.
func (l *Loader) Decode(s *Snapshot, fn func(part int, r Record)) {
	var wg sync.WaitGroup
	for i, part := range s.Manifest.Parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { l.logPanic(part) }()
			_ = LoadPart(filepath.Join(s.Dir, part), func(r Record) error {
				fn(i, r)
				return nil
			})
		}()
	}
	wg.Wait()
}

// recoverPart is deferred directly, so its recover stops the panic.
func (l *Loader) recoverPart(part string, errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("snapshot: decoding %s panicked: %v", part, r)
	}
}

// DecodeChecked is Decode that reports failures instead of logging them.
func (l *Loader) DecodeChecked(s *Snapshot, fn func(part int, r Record)) error {
	errs := make([]error, len(s.Manifest.Parts))
	var wg sync.WaitGroup
	for i, part := range s.Manifest.Parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer l.recoverPart(part, &errs[i]) // ok: recover called directly by the deferred function
			errs[i] = LoadPart(filepath.Join(s.Dir, part), func(r Record) error {
				fn(i, r)
				return nil
			})
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
