package kv

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Snapshot stream format (inside gzip):
//
//	"EKVSNAP1" | txid uint64 | unix time uint64 |
//	{ uvarint klen | key | uvarint vlen | value }* | uvarint 0
const snapshotMagic = "EKVSNAP1"

// BackupExt is the file extension of snapshot files.
const BackupExt = ".ekvsnap.gz"

// SnapshotHeader describes a snapshot stream.
type SnapshotHeader struct {
	TxID    uint64
	Created time.Time
}

// SnapshotProgress is reported while a snapshot is written.
type SnapshotProgress struct {
	Keys    int
	Done    bool
	Elapsed time.Duration
}

// SnapshotOptions configure DB.Snapshot.
type SnapshotOptions struct {
	// Progress, when set, is called every 10000 keys and once at the end.
	Progress func(SnapshotProgress)
}

// BackupName returns the canonical snapshot file name for t.
func BackupName(t time.Time) string {
	return "ekv-" + t.UTC().Format("20060102T150405Z") + BackupExt
}

// WriteSnapshot streams every pair visible to tx into w (uncompressed).
func (tx *Tx) WriteSnapshot(w io.Writer, progress func(int)) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	hdr := make([]byte, 0, len(snapshotMagic)+16)
	hdr = append(hdr, snapshotMagic...)
	hdr = binary.LittleEndian.AppendUint64(hdr, tx.ID())
	hdr = binary.LittleEndian.AppendUint64(hdr, uint64(time.Now().Unix()))
	if _, err := bw.Write(hdr); err != nil {
		return 0, err
	}

	n := 0
	var lenbuf [binary.MaxVarintLen64]byte
	err := tx.ForEach(nil, func(k, v []byte) error {
		for _, b := range [][]byte{k, v} {
			l := binary.PutUvarint(lenbuf[:], uint64(len(b)))
			if _, err := bw.Write(lenbuf[:l]); err != nil {
				return err
			}
			if _, err := bw.Write(b); err != nil {
				return err
			}
		}
		n++
		if progress != nil && n%10000 == 0 {
			progress(n)
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	if err := bw.WriteByte(0); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// ReadSnapshot parses a snapshot stream, calling fn for every pair.
func ReadSnapshot(r io.Reader, fn func(k, v []byte) error) (SnapshotHeader, int, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	hdr := make([]byte, len(snapshotMagic)+16)
	if _, err := io.ReadFull(br, hdr); err != nil {
		return SnapshotHeader{}, 0, fmt.Errorf("%w: header: %v", ErrBadSnapshot, err)
	}
	if string(hdr[:len(snapshotMagic)]) != snapshotMagic {
		return SnapshotHeader{}, 0, fmt.Errorf("%w: bad magic", ErrBadSnapshot)
	}
	h := SnapshotHeader{
		TxID:    binary.LittleEndian.Uint64(hdr[8:16]),
		Created: time.Unix(int64(binary.LittleEndian.Uint64(hdr[16:24])), 0),
	}
	n := 0
	for {
		klen, err := binary.ReadUvarint(br)
		if err != nil {
			return h, n, fmt.Errorf("%w: record %d: %v", ErrBadSnapshot, n, err)
		}
		if klen == 0 {
			return h, n, nil
		}
		key := make([]byte, klen)
		if _, err := io.ReadFull(br, key); err != nil {
			return h, n, fmt.Errorf("%w: record %d key: %v", ErrBadSnapshot, n, err)
		}
		vlen, err := binary.ReadUvarint(br)
		if err != nil {
			return h, n, fmt.Errorf("%w: record %d: %v", ErrBadSnapshot, n, err)
		}
		val := make([]byte, vlen)
		if _, err := io.ReadFull(br, val); err != nil {
			return h, n, fmt.Errorf("%w: record %d value: %v", ErrBadSnapshot, n, err)
		}
		if err := fn(key, val); err != nil {
			return h, n, err
		}
		n++
	}
}

// WriteSnapshotFile writes a gzip snapshot of tx to path atomically: the
// data goes to a temporary file that is synced and renamed into place.
func (tx *Tx) WriteSnapshotFile(path string, progress func(int)) (n int, err error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()

	zw := gzip.NewWriter(f)
	if n, err = tx.WriteSnapshot(zw, progress); err != nil {
		return n, err
	}
	if err = zw.Close(); err != nil {
		return n, err
	}
	if err = f.Sync(); err != nil {
		return n, err
	}
	if err = f.Close(); err != nil {
		return n, err
	}
	return n, os.Rename(tmp, path)
}

// Snapshot writes a consistent gzip snapshot of the database to path.
func (db *DB) Snapshot(path string, opts SnapshotOptions) error {
	start := time.Now()
	keys := 0
	var report func()
	switch {
	case opts.Progress != nil:
		report = func() {
			opts.Progress(SnapshotProgress{Keys: keys, Done: true, Elapsed: time.Since(start)})
		}
	case db.logger != nil:
		report = func() {
			db.logf("kv: snapshot %s: %d keys in %v", path, keys, time.Since(start))
		}
	}
	defer report() // HAZ defer-nil-func

	var progress func(int)
	if opts.Progress != nil {
		progress = func(n int) {
			opts.Progress(SnapshotProgress{Keys: n, Elapsed: time.Since(start)})
		}
	}
	return db.View(func(tx *Tx) error {
		n, err := tx.WriteSnapshotFile(path, progress)
		keys = n
		return err
	})
}

// BackupAll writes the same snapshot to several destinations (local disk
// plus mounted replicas) in parallel, from one read transaction.
func (db *DB) BackupAll(paths []string) error {
	tx, err := db.Begin(false)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var wg sync.WaitGroup
	errs := make([]error, len(paths))
	for i, path := range paths {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			_, errs[i] = tx.WriteSnapshotFile(path, nil)
		}()
		db.logf("kv: backup %d/%d to %s started", i+1, len(paths), path)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Restore loads a snapshot file into the database, in batches.
func (db *DB) Restore(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("kv: restore %s: %w", path, err)
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := zr.Close(); cerr != nil {
			err = fmt.Errorf("kv: restore %s: %w", path, cerr)
		}
	}()

	const batchSize = 5000
	batch := make([]KV, 0, batchSize)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := db.Update(func(tx *Tx) error {
			for _, kv := range batch {
				if err := tx.Put(kv.Key, kv.Value); err != nil {
					return err
				}
			}
			return nil
		})
		batch = batch[:0]
		return err
	}
	_, _, err = ReadSnapshot(zr, func(k, v []byte) error {
		batch = append(batch, KV{Key: k, Value: v})
		if len(batch) < batchSize {
			return nil
		}
		return flush()
	})
	if err != nil {
		return err
	}
	return flush()
}

// ReadSnapshotFile opens a gzip snapshot file and streams it to fn.
func ReadSnapshotFile(path string, fn func(k, v []byte) error) (SnapshotHeader, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return SnapshotHeader{}, 0, err
	}
	defer f.Close()

	zr, err := gzip.NewReader(f)
	if err != nil {
		return SnapshotHeader{}, 0, fmt.Errorf("kv: %s: %w", path, err)
	}
	defer zr.Close()
	return ReadSnapshot(zr, fn)
}

// VerifyBackups reads every snapshot in dir and returns the broken ones.
func VerifyBackups(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var bad []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), BackupExt) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		f, err := os.Open(path)
		if err != nil {
			return bad, err
		}
		defer f.Close() // HAZ defer-in-loop

		zr, err := gzip.NewReader(f)
		if err != nil {
			bad = append(bad, path)
			continue
		}
		if _, _, err := ReadSnapshot(zr, func(_, _ []byte) error { return nil }); err != nil {
			bad = append(bad, path)
		}
		zr.Close()
	}
	return bad, nil
}

// PruneBackups deletes all but the newest keep snapshots in dir and
// returns the removed paths.
func PruneBackups(dir string, keep int) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "ekv-*"+BackupExt))
	if err != nil {
		return nil, err
	}
	if len(matches) <= keep {
		return nil, nil
	}
	// Names embed a sortable UTC timestamp.
	sort.Strings(matches)
	old := matches[:len(matches)-keep]
	var removed []string
	for _, path := range old {
		if err := os.Remove(path); err != nil {
			return removed, err
		}
		removed = append(removed, path)
	}
	return removed, nil
}

// SnapshotInfo describes one snapshot file.
type SnapshotInfo struct {
	Path    string    `json:"path"`
	TxID    uint64    `json:"txid"`
	Created time.Time `json:"created"`
	Pairs   int       `json:"pairs"`
	Err     string    `json:"error,omitempty"`
}

// SnapshotInfos reads the header and pair count of every snapshot in dir.
// Each file is closed before the next one is opened.
func SnapshotInfos(dir string) ([]SnapshotInfo, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*"+BackupExt))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	infos := make([]SnapshotInfo, 0, len(paths))
	for _, path := range paths {
		info := SnapshotInfo{Path: path}
		err := func() error {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			zr, err := gzip.NewReader(f)
			if err != nil {
				return err
			}
			defer zr.Close()
			h, n, err := ReadSnapshot(zr, func(_, _ []byte) error { return nil })
			info.TxID, info.Created, info.Pairs = h.TxID, h.Created, n
			return err
		}()
		if err != nil {
			info.Err = err.Error()
		}
		infos = append(infos, info)
	}
	return infos, nil
}

// WriteManifest writes MANIFEST.json describing the snapshots in dir.
func WriteManifest(dir string) error {
	infos, err := SnapshotInfos(dir)
	if err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "MANIFEST.json"))
	if err != nil {
		return err
	}
	defer f.Close()

	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(infos); err != nil {
		return err
	}
	return f.Close()
}
