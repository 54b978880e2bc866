// Package wal is a small append-only write-ahead log of stock movements. Each
// record is one JSON line; every append is flushed and fsynced before it is
// acknowledged.
package wal

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"sync"
)

// Record is one logged stock movement.
type Record struct {
	Seq       uint64 `json:"seq"`
	Op        string `json:"op"`
	Warehouse string `json:"wh"`
	SKU       string `json:"sku"`
	Qty       int    `json:"qty"`
}

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("wal: log is closed")

// Log is an open write-ahead log.
type Log struct {
	path string

	mu  sync.Mutex
	f   *os.File
	bw  *bufio.Writer
	seq uint64
}

// Open opens (or creates) the log at path for appending and recovers the
// last sequence number from it.
func Open(path string) (*Log, error) {
	seq, err := lastSeq(path)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	return &Log{path: path, f: f, bw: bufio.NewWriter(f), seq: seq}, nil
}

// lastSeq returns the sequence number of the last record in path.
func lastSeq(path string) (uint64, error) {
	var seq uint64
	_, err := Replay(path, func(r Record) error {
		seq = r.Seq
		return nil
	})
	return seq, err
}

// Append logs one movement and returns its sequence number once it is on disk.
func (l *Log) Append(op, wh, sku string, qty int) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return 0, ErrClosed
	}
	rec := Record{Seq: l.seq + 1, Op: op, Warehouse: wh, SKU: sku, Qty: qty}
	if err := writeRecord(l.bw, rec); err != nil {
		return 0, err
	}
	if err := l.bw.Flush(); err != nil {
		return 0, err
	}
	if err := l.f.Sync(); err != nil {
		return 0, fmt.Errorf("wal: fsync %s: %w", l.path, err)
	}
	l.seq = rec.Seq
	return rec.Seq, nil
}

// Seq returns the sequence number of the last appended record.
func (l *Log) Seq() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq
}

// Close flushes, syncs and closes the log.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := errors.Join(l.bw.Flush(), l.f.Sync(), l.f.Close())
	l.f = nil
	return err
}

// writeRecord encodes r as one JSON line.
func writeRecord(w io.Writer, r Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// Replay calls fn for every record in the log at path, in order. A missing
// log replays as empty.
func Replay(path string, fn func(Record) error) (int, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()

	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return n, fmt.Errorf("wal: %s record %d: %w", path, n+1, err)
		}
		if err := fn(r); err != nil {
			return n, err
		}
		n++
	}
	return n, sc.Err()
}

// Compact rewrites the log at path keeping only records after keepAfter, then
// swaps the rewritten file into place.
func Compact(path string, keepAfter uint64) error {
	tmp := path + ".compact"
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err == nil {
			err = os.Rename(tmp, path)
		} else {
			os.Remove(tmp)
		}
	}()

	bw := bufio.NewWriter(out)
	_, err = Replay(path, func(r Record) error {
		if r.Seq <= keepAfter {
			return nil
		}
		return writeRecord(bw, r)
	})
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// snapshotLine is one warehouse in a stock snapshot file.
type snapshotLine struct {
	Warehouse string         `json:"wh"`
	Levels    map[string]int `json:"levels"`
}

// WriteSnapshot writes the on-hand position of every warehouse to path as
// JSON lines, so that replay can start from the snapshot's sequence number.
func WriteSnapshot(path string, levels map[string]map[string]int) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted

	enc := json.NewEncoder(bw)
	for _, wh := range sortedKeys(levels) {
		if err := enc.Encode(snapshotLine{Warehouse: wh, Levels: levels[wh]}); err != nil {
			return err
		}
	}
	return nil
}

// WriteIndex writes the byte offset of every record, one per line, so that
// tools can seek into a large log.
func WriteIndex(path string, offsets []int64) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()

	for _, off := range offsets {
		if _, err := fmt.Fprintf(bw, "%d\n", off); err != nil {
			return err
		}
	}
	return nil
}

// AppendRaw appends pre-encoded record lines to the log file at path; the
// import tool uses it to seed a log offline. The data is fsynced before
// AppendRaw reports success.
func AppendRaw(path string, lines [][]byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, ln := range lines {
		if _, err := f.Write(ln); err != nil {
			return err
		}
		if _, err := f.Write([]byte{'\n'}); err != nil {
			return err
		}
	}
	return f.Sync()
}

// MarkClean writes the clean-shutdown marker next to the log, recording the
// last sequence number, so that the next start can skip the replay check.
func MarkClean(path string, seq uint64) error {
	f, err := os.OpenFile(path+".clean", os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintf(f, "%d\n", seq)
	return err
}

// IsClean reports whether the clean-shutdown marker matches seq.
func IsClean(path string, seq uint64) bool {
	f, err := os.Open(path + ".clean")
	if err != nil {
		return false
	}
	defer f.Close()
	var got uint64
	if _, err := fmt.Fscan(f, &got); err != nil {
		return false
	}
	return got == seq
}

// sortedKeys returns the warehouse IDs of a snapshot in order.
func sortedKeys(m map[string]map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
