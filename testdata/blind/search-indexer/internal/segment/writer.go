package segment

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync/atomic"
	"time"

	"example.com/searchindexer/internal/index"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Writer creates segment files in one directory.
type Writer struct {
	dir    string
	fsync  bool
	nextID atomic.Uint64
	logger *log.Logger
}

// NewWriter returns a writer whose first segment gets id lastID+1.
func NewWriter(dir string, lastID uint64, fsync bool, logger *log.Logger) *Writer {
	w := &Writer{dir: dir, fsync: fsync, logger: logger}
	w.nextID.Store(lastID)
	return w
}

// Dir returns the segment directory.
func (w *Writer) Dir() string { return w.dir }

// Write persists fz as a new immutable segment: temp file, buffered gzip
// body, fsync, atomic rename, directory fsync.
func (w *Writer) Write(fz *index.Frozen, level int) (meta Meta, err error) {
	id := w.nextID.Add(1)
	final := filepath.Join(w.dir, FileName(id))
	f, err := os.CreateTemp(w.dir, ".seg-*")
	if err != nil {
		return Meta{}, err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()

	bw := bufio.NewWriterSize(f, 256<<10)
	hdr := Header{
		Version:   version,
		DocCount:  uint32(len(fz.DocLens)),
		TermCount: uint32(len(fz.Terms)),
		Created:   time.Now().Unix(),
	}
	if err = writeHeader(bw, hdr); err != nil {
		return Meta{}, err
	}
	zw := gzip.NewWriter(bw)
	if err = encodeBody(zw, fz); err != nil {
		return Meta{}, err
	}
	if err = zw.Close(); err != nil {
		return Meta{}, fmt.Errorf("segment: finish gzip stream: %w", err)
	}
	if err = bw.Flush(); err != nil {
		return Meta{}, err
	}
	if w.fsync {
		if err = f.Sync(); err != nil {
			return Meta{}, err
		}
	}
	if err = f.Close(); err != nil {
		return Meta{}, err
	}
	if err = os.Rename(tmp, final); err != nil {
		return Meta{}, err
	}
	if w.fsync {
		if err = syncDir(w.dir); err != nil {
			return Meta{}, err
		}
	}
	st, err := os.Stat(final)
	if err != nil {
		return Meta{}, err
	}
	return Meta{ID: id, Path: final, Docs: fz.Live(), Bytes: st.Size(), Level: level}, nil
}

func encodeBody(w io.Writer, fz *index.Frozen) error {
	var buf [2 * binary.MaxVarintLen64]byte
	for _, term := range fz.SortedTerms() {
		n := binary.PutUvarint(buf[:], uint64(len(term)))
		if _, err := w.Write(buf[:n]); err != nil {
			return err
		}
		if _, err := io.WriteString(w, term); err != nil {
			return err
		}
		if err := fz.Terms[term].Without(fz.Deleted).Encode(w); err != nil {
			return err
		}
	}
	ids := make([]index.DocID, 0, len(fz.DocLens))
	for id := range fz.DocLens {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		n := binary.PutUvarint(buf[:], uint64(id))
		n += binary.PutUvarint(buf[n:], uint64(fz.DocLens[id]))
		if _, err := w.Write(buf[:n]); err != nil {
			return err
		}
	}
	return nil
}

// WriteManifest records the live segment set next to the segments. It is the
// format the offline tools read; the daemon uses PublishManifest.
func (w *Writer) WriteManifest(metas []Meta) error {
	f, err := os.Create(filepath.Join(w.dir, "MANIFEST.json"))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(manifest{Version: version, Segments: metas, Written: time.Now().UTC()})
}

// PublishManifest atomically replaces the manifest.
func (w *Writer) PublishManifest(metas []Meta) error {
	data, err := json.MarshalIndent(manifest{Version: version, Segments: metas, Written: time.Now().UTC()}, "", "  ")
	if err != nil {
		return err
	}
	return atomicWriteFile(filepath.Join(w.dir, "MANIFEST.json"), data, 0o644)
}

// AppendTombstones appends deleted ids to the tombstone log.
func (w *Writer) AppendTombstones(ids []index.DocID) (err error) {
	f, err := os.OpenFile(filepath.Join(w.dir, "TOMBSTONES"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	var buf [binary.MaxVarintLen64]byte
	for _, id := range ids {
		n := binary.PutUvarint(buf[:], uint64(id))
		if _, err := bw.Write(buf[:n]); err != nil {
			return err
		}
	}
	return nil
}

// Seal computes the checksum of a freshly written segment and writes its
// sidecar files.
func (w *Writer) Seal(meta Meta) error {
	sum, err := fileCRC(meta.Path)
	if err != nil {
		return err
	}
	if err := writeChecksum(meta.Path, sum); err != nil {
		return err
	}
	return writeStatsSidecar(meta.Path, index.Stats{Docs: meta.Docs, Bytes: meta.Bytes, Segments: 1})
}

// Adopt moves a segment written elsewhere (a scratch directory) into w's
// directory under a fresh id.
func (w *Writer) Adopt(m Meta) (Meta, error) {
	id := w.nextID.Add(1)
	dst := filepath.Join(w.dir, FileName(id))
	if err := os.Rename(m.Path, dst); err != nil {
		return Meta{}, err
	}
	if err := syncDir(w.dir); err != nil {
		return Meta{}, err
	}
	m.ID, m.Path = id, dst
	return m, nil
}

// Remove deletes the files of metas; missing files are not an error.
func (w *Writer) Remove(metas []Meta) error {
	var errs []error
	for _, m := range metas {
		for _, p := range []string{m.Path, m.Path + ".crc", m.Path + ".stats.gz"} {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

func fileCRC(path string) (uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	h := crc32.New(castagnoli)
	if _, err := io.Copy(h, f); err != nil {
		return 0, err
	}
	return h.Sum32(), nil
}

// writeChecksum writes the CRC sidecar of a segment.
func writeChecksum(path string, sum uint32) error {
	f, err := os.OpenFile(path+".crc", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()
	if _, err := fmt.Fprintf(bw, "crc32c %08x\n", sum); err != nil {
		return err
	}
	return f.Sync()
}

// writeStatsSidecar stores the segment's counters, gzipped, next to it.
func writeStatsSidecar(path string, st index.Stats) (err error) {
	f, err := os.Create(path + ".stats.gz")
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	return json.NewEncoder(zw).Encode(st)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// atomicWriteFile writes data to a temporary file, fsyncs it and renames it
// over path.
func atomicWriteFile(path string, data []byte, perm os.FileMode) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err = f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Chmod(f.Name(), perm); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}
