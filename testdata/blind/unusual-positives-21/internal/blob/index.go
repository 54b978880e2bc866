// Package blob holds the content-addressed index of the build cache.
package blob

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

var (
	ErrClosed   = errors.New("blob: index closed")
	ErrNotFound = errors.New("blob: digest not found")
	ErrTooLarge = errors.New("blob: entry exceeds limit")
	ErrPinned   = errors.New("blob: entry is pinned")
)

// Entry is one cached blob.
type Entry struct {
	Digest  string
	Size    int64
	Pinned  bool
	Touched time.Time
	Data    []byte
}

// String describes the entry. It takes no lock.
func (e *Entry) String() string {
	state := "unpinned"
	if e.Pinned {
		state = "pinned"
	}
	return fmt.Sprintf("%s (%d bytes, %s, touched %s)", e.Digest, e.Size, state, e.Touched.Format(time.RFC3339))
}

// Index maps digests to entries. It is an io.Closer and a fmt.Stringer, and
// both of those methods take the index lock.
type Index struct {
	mu      sync.Mutex
	entries map[string]*Entry
	bytes   int64
	limit   int64
	closed  bool
	journal []string
}

// NewIndex returns an empty index holding at most limit bytes.
func NewIndex(limit int64) *Index {
	return &Index{entries: make(map[string]*Entry), limit: limit}
}

// Close marks the index closed and drops the in-memory journal.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return ErrClosed
	}
	ix.closed = true
	ix.journal = nil
	return nil
}

// String summarises the index for logs.
func (ix *Index) String() string {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return fmt.Sprintf("index{entries=%d bytes=%d/%d closed=%t}", len(ix.entries), ix.bytes, ix.limit, ix.closed)
}

// Get returns the data stored under digest and marks the entry as used.
func (ix *Index) Get(digest string) ([]byte, bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	e, ok := ix.entries[digest]
	if !ok || ix.closed {
		return nil, false
	}
	e.Touched = time.Now()
	return e.Data, true
}

// Pin protects digest from eviction.
func (ix *Index) Pin(digest string) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	e, ok := ix.entries[digest]
	if !ok {
		return ErrNotFound
	}
	e.Pinned = true
	ix.journal = append(ix.journal, "pin "+digest)
	return nil
}

// Shutdown writes the journal to w and closes the index.
func (ix *Index) Shutdown(w io.Writer) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var c io.Closer = ix
	defer c.Close() // HAZ lock-reentry-under-defer
	for _, line := range ix.journal {
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}

// Drain writes the journal to w and then closes the index. The Close is
// registered before the lock is taken, so it runs after the unlock.
func (ix *Index) Drain(w io.Writer) (err error) {
	var c io.Closer = ix
	defer func() { err = errors.Join(err, c.Close()) }()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, line := range ix.journal {
		if _, werr := fmt.Fprintln(w, line); werr != nil {
			return werr
		}
	}
	return nil
}

// Evict removes digest and returns the index summary for the audit log.
func (ix *Index) Evict(digest string) (string, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	e, ok := ix.entries[digest]
	if !ok {
		return "", ErrNotFound
	}
	if e.Pinned {
		return "", ErrPinned
	}
	delete(ix.entries, digest)
	ix.bytes -= e.Size
	ix.journal = append(ix.journal, "evict "+digest)
	var summary fmt.Stringer = ix
	return summary.String(), nil // HAZ lock-reentry-under-defer
}

// Describe formats one entry under the index lock. The Stringer here is the
// entry, whose String takes no lock.
func (ix *Index) Describe(digest string) string {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	e, ok := ix.entries[digest]
	if !ok {
		return digest + " (missing)"
	}
	var s fmt.Stringer = e
	return s.String()
}

// ReplayFrom appends the journal lines read from src, holding the lock for the
// whole replay so that no op interleaves with it.
func (ix *Index) ReplayFrom(src io.ReadCloser) (int, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	defer src.Close()
	sc := bufio.NewScanner(src)
	n := 0
	for sc.Scan() {
		ix.journal = append(ix.journal, sc.Text())
		n++
	}
	return n, sc.Err()
}

// Digests returns the sorted digests currently in the index.
func (ix *Index) Digests() []string {
	ix.mu.Lock()
	out := make([]string, 0, len(ix.entries))
	for d := range ix.entries {
		out = append(out, d)
	}
	ix.mu.Unlock()
	sort.Strings(out)
	return out
}

// OpKind is the kind of a journal operation.
type OpKind int

const (
	OpPut OpKind = iota
	OpPin
	OpTouch
	OpDelete
)

// Op is one journal operation replayed into the index.
type Op struct {
	Kind   OpKind `json:"kind"`
	Digest string `json:"digest"`
	Data   []byte `json:"data,omitempty"`
	At     time.Time
}

// Apply replays op into the index. A put is also a touch.
func (ix *Index) Apply(op Op) error {
	ix.mu.Lock() // HAZ lock-leaked-on-return
	if ix.closed {
		ix.mu.Unlock()
		return ErrClosed
	}
	switch op.Kind {
	case OpPut:
		size := int64(len(op.Data))
		e := ix.entries[op.Digest]
		if e == nil {
			e = &Entry{Digest: op.Digest}
			ix.entries[op.Digest] = e
		}
		if ix.bytes-e.Size+size > ix.limit {
			ix.mu.Unlock()
			return ErrTooLarge
		}
		ix.bytes += size - e.Size
		e.Size, e.Data = size, op.Data
		fallthrough
	case OpTouch:
		e, ok := ix.entries[op.Digest]
		if !ok {
			ix.mu.Unlock()
			return ErrNotFound
		}
		e.Touched = op.At
		if e.Pinned {
			// pinned entries are journalled once, when they are pinned
			return nil
		}
	case OpPin:
		e, ok := ix.entries[op.Digest]
		if !ok {
			ix.mu.Unlock()
			return ErrNotFound
		}
		e.Pinned = true
	case OpDelete:
		if e, ok := ix.entries[op.Digest]; ok {
			ix.bytes -= e.Size
			delete(ix.entries, op.Digest)
		}
	}
	ix.journal = append(ix.journal, fmt.Sprintf("%d %s", op.Kind, op.Digest))
	ix.mu.Unlock()
	return nil
}

// StatMode selects whether Stat refreshes the entry's access time.
type StatMode int

const (
	StatPeek StatMode = iota
	StatTouch
)

// Stat reports the size of digest, touching it first when mode is StatTouch.
func (ix *Index) Stat(digest string, mode StatMode) (int64, error) {
	ix.mu.Lock()
	e, ok := ix.entries[digest]
	switch {
	case !ok:
		ix.mu.Unlock()
		return 0, ErrNotFound
	case mode == StatTouch:
		e.Touched = time.Now()
		fallthrough
	case mode == StatPeek:
		size := e.Size
		ix.mu.Unlock()
		return size, nil
	}
	ix.mu.Unlock()
	return 0, fmt.Errorf("blob: unknown stat mode %d", mode)
}
