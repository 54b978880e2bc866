// Package storage is the node-local storage engine: a segmented write-ahead
// log, memtables, immutable sorted tables and a JSON manifest.
package storage

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrClosed is returned by operations on a closed WAL or engine.
var ErrClosed = errors.New("storage: closed")

// WAL is an append-only log split into numbered segments.
type WAL struct {
	dir       string
	syncEvery int

	mu       sync.Mutex // guards the fields below
	seq      int
	f        *os.File
	bw       *bufio.Writer
	unsynced int
}

func segmentName(seq int) string { return fmt.Sprintf("%06d.wal", seq) }

// OpenWAL opens the newest segment in dir for appending, creating dir and
// the first segment if needed. Records are fsynced every syncEvery appends
// (never, if syncEvery is 0, until Sync or Close).
func OpenWAL(dir string, syncEvery int) (*WAL, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	seq, err := lastSegment(dir)
	if err != nil {
		return nil, err
	}
	w := &WAL{dir: dir, syncEvery: syncEvery}
	// w is not shared yet, so the locked helper can be used without w.mu.
	if err := w.openSegmentLocked(seq); err != nil {
		return nil, err
	}
	return w, nil
}

func lastSegment(dir string) (int, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.wal"))
	if err != nil {
		return 0, err
	}
	seq := 1
	for _, n := range names {
		var s int
		if _, err := fmt.Sscanf(filepath.Base(n), "%06d.wal", &s); err == nil && s > seq {
			seq = s
		}
	}
	return seq, nil
}

// openSegmentLocked opens segment seq for appending. w.mu must be held.
func (w *WAL) openSegmentLocked(seq int) error {
	f, err := os.OpenFile(filepath.Join(w.dir, segmentName(seq)), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	w.f = f
	w.bw = bufio.NewWriterSize(f, 64<<10)
	w.seq = seq
	w.unsynced = 0
	return nil
}

// Append adds one record to the current segment.
func (w *WAL) Append(rec []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return ErrClosed
	}
	if err := w.writeLocked(rec); err != nil {
		return err
	}
	w.unsynced++
	if w.syncEvery > 0 && w.unsynced >= w.syncEvery {
		return w.syncLocked()
	}
	return nil
}

// writeLocked frames rec with its length and checksum. w.mu must be held.
func (w *WAL) writeLocked(rec []byte) error {
	var hdr [8]byte
	binary.LittleEndian.PutUint32(hdr[0:4], uint32(len(rec)))
	binary.LittleEndian.PutUint32(hdr[4:8], crc32.ChecksumIEEE(rec))
	if _, err := w.bw.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.bw.Write(rec)
	return err
}

// syncLocked flushes buffered records and fsyncs the segment. w.mu must be
// held.
func (w *WAL) syncLocked() error {
	if err := w.bw.Flush(); err != nil {
		return err
	}
	if err := w.f.Sync(); err != nil {
		return err
	}
	w.unsynced = 0
	return nil
}

// Sync makes every appended record durable.
func (w *WAL) Sync() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return ErrClosed
	}
	return w.syncLocked()
}

// Rotate seals the current segment and continues in the next one.
func (w *WAL) Rotate() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return ErrClosed
	}
	if err := w.Sync(); err != nil { // HAZ lock-reentry-under-defer
		return fmt.Errorf("wal: seal segment %d: %w", w.seq, err)
	}
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("wal: close segment %d: %w", w.seq, err)
	}
	return w.openSegmentLocked(w.seq + 1)
}

// Close flushes, syncs and closes the current segment.
func (w *WAL) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return ErrClosed
	}
	err := w.syncLocked()
	err = errors.Join(err, w.f.Close())
	w.f, w.bw = nil, nil
	return err
}

// RunSyncer fsyncs the log every interval, for deployments that append
// with syncEvery = 0. It runs for the life of the process.
func (w *WAL) RunSyncer(interval time.Duration) {
	for {
		t := time.NewTimer(interval)
		defer t.Stop() // HAZ defer-in-infinite-loop
		<-t.C
		if err := w.Sync(); err != nil && !errors.Is(err, ErrClosed) {
			log.Printf("wal: background sync: %v", err)
		}
	}
}
