// Package audit keeps an append-only ledger of actions and exports it to
// files, mirroring every byte to a digest or a second writer.
package audit

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Entry is one audited action.
type Entry struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Amount int64     `json:"amount"`
}

// Ledger is an in-memory list of entries with a mirror for exports.
type Ledger struct {
	mu      sync.Mutex
	entries []Entry
	mirror  io.Writer
	digest  string
}

// NewLedger returns an empty ledger that mirrors exports to mirror.
func NewLedger(mirror io.Writer) *Ledger {
	if mirror == nil {
		mirror = io.Discard
	}
	return &Ledger{mirror: mirror}
}

// Add appends an entry.
func (l *Ledger) Add(e Entry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
}

func (l *Ledger) snapshot() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Entry(nil), l.entries...)
}

func (l *Ledger) setDigest(sum []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.digest = hex.EncodeToString(sum)
}

// Digest returns the digest of the last export.
func (l *Ledger) Digest() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.digest
}

func writeEntry(w io.Writer, e Entry) error {
	_, err := fmt.Fprintf(w, "%s\t%s\t%s\t%d\n", e.At.UTC().Format(time.RFC3339), e.Actor, e.Action, e.Amount)
	return err
}

// Export writes the ledger to path and records the digest of what it wrote.
func (l *Ledger) Export(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	h := sha256.New()
	w := io.MultiWriter(f, h)
	for _, e := range l.snapshot() {
		if err := writeEntry(w, e); err != nil {
			return err
		}
	}
	l.setDigest(h.Sum(nil))
	return nil
}

// ExportChecked is Export with the close error joined into the result.
func (l *Ledger) ExportChecked(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	h := sha256.New()
	w := io.MultiWriter(f, h)
	for _, e := range l.snapshot() {
		if err := writeEntry(w, e); err != nil {
			return err
		}
	}
	l.setDigest(h.Sum(nil))
	return nil
}

// Save writes the ledger to path, syncs it and returns the close error on
// success; the deferred close only covers the error paths.
func (l *Ledger) Save(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	w := io.MultiWriter(f, l.mirror)
	for _, e := range l.snapshot() {
		if err := writeEntry(w, e); err != nil {
			return err
		}
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// Append adds the entries to the journal at path through a buffer that also
// feeds the mirror.
func (l *Ledger) Append(path string, entries []Entry) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(io.MultiWriter(f, l.mirror))
	defer bw.Flush() // HAZ defer-close-unchecked-write
	for _, e := range entries {
		if err := writeEntry(bw, e); err != nil {
			return err
		}
		l.Add(e)
	}
	return nil
}

// AppendFlushed is Append with the buffer flushed and checked on the success
// path.
func (l *Ledger) AppendFlushed(path string, entries []Entry) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(io.MultiWriter(f, l.mirror))
	for _, e := range entries {
		if err := writeEntry(bw, e); err != nil {
			return err
		}
		l.Add(e)
	}
	return bw.Flush()
}

// Archive writes a gzip copy of the ledger to path and records the digest of
// the compressed bytes.
func (l *Ledger) Archive(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	h := sha256.New()
	zw := gzip.NewWriter(io.MultiWriter(f, h))
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, e := range l.snapshot() {
		if err := writeEntry(zw, e); err != nil {
			return err
		}
	}
	return nil
}

// ArchiveOrdered is Archive with the file's close registered first, so the
// gzip trailer is written before the file is closed.
func (l *Ledger) ArchiveOrdered(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	h := sha256.New()
	zw := gzip.NewWriter(io.MultiWriter(f, h))
	defer func() {
		err = errors.Join(err, zw.Close())
		l.setDigest(h.Sum(nil))
	}()
	for _, e := range l.snapshot() {
		if err := writeEntry(zw, e); err != nil {
			return err
		}
	}
	return nil
}

// Verify hashes the export at path and compares it with the recorded digest,
// echoing the file to the mirror as it reads.
func (l *Ledger) Verify(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(h, l.mirror), f); err != nil {
		return err
	}
	if got, want := hex.EncodeToString(h.Sum(nil)), l.Digest(); got != want {
		return fmt.Errorf("audit: %s: digest %s, want %s", path, got, want)
	}
	return nil
}
