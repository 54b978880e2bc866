package raftlog

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

var (
	crcTable      = crc32.MakeTable(crc32.Castagnoli)
	errCorrupt    = errors.New("raftlog: corrupt segment")
	errNoSegments = errors.New("raftlog: no segments")
)

const segmentExt = ".wal"

func segmentName(first uint64) string { return fmt.Sprintf("%020d%s", first, segmentExt) }

// encodeEntry writes: len(4) crc(4) index(8) term(8) type(1) data.
func encodeEntry(w io.Writer, e Entry) error {
	var hdr [25]byte
	binary.BigEndian.PutUint32(hdr[0:], uint32(len(e.Data)))
	binary.BigEndian.PutUint64(hdr[8:], e.Index)
	binary.BigEndian.PutUint64(hdr[16:], e.Term)
	hdr[24] = byte(e.Type)
	crc := crc32.Update(crc32.Checksum(hdr[8:], crcTable), crcTable, e.Data)
	binary.BigEndian.PutUint32(hdr[4:], crc)
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(e.Data)
	return err
}

func decodeEntry(r *bufio.Reader) (Entry, error) {
	var hdr [25]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Entry{}, err
	}
	n := binary.BigEndian.Uint32(hdr[0:])
	if n > 64<<20 {
		return Entry{}, errCorrupt
	}
	e := Entry{
		Index: binary.BigEndian.Uint64(hdr[8:]),
		Term:  binary.BigEndian.Uint64(hdr[16:]),
		Type:  EntryType(hdr[24]),
		Data:  make([]byte, n),
	}
	if _, err := io.ReadFull(r, e.Data); err != nil {
		return Entry{}, fmt.Errorf("%w: short entry: %v", errCorrupt, err)
	}
	if crc32.Update(crc32.Checksum(hdr[8:], crcTable), crcTable, e.Data) != binary.BigEndian.Uint32(hdr[4:]) {
		return Entry{}, fmt.Errorf("%w: checksum mismatch at index %d", errCorrupt, e.Index)
	}
	return e, nil
}

// SegmentWriter appends entries to one segment file.
type SegmentWriter struct {
	f    *os.File
	bw   *bufio.Writer
	path string
	size int64
}

// CreateSegment creates a new, empty segment whose first index is first.
func CreateSegment(dir string, first uint64) (*SegmentWriter, error) {
	path := filepath.Join(dir, segmentName(first))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	return &SegmentWriter{f: f, bw: bufio.NewWriterSize(f, 64<<10), path: path}, nil
}

// Append buffers one entry.
func (w *SegmentWriter) Append(e Entry) error {
	if err := encodeEntry(w.bw, e); err != nil {
		return err
	}
	w.size += int64(25 + len(e.Data))
	return nil
}

// Sync flushes the buffer and fsyncs the file.
func (w *SegmentWriter) Sync() error {
	if err := w.bw.Flush(); err != nil {
		return err
	}
	return w.f.Sync()
}

// Close syncs and closes, reporting both errors.
func (w *SegmentWriter) Close() error {
	return errors.Join(w.Sync(), w.f.Close())
}

// ReadSegment decodes every entry of a segment. The file is read-only, so
// the deferred Close has nothing to report.
func ReadSegment(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var out []Entry
	for {
		e, err := decodeEntry(br)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, e)
	}
}

// ListSegments returns the segment paths of dir in index order.
func ListSegments(dir string) ([]string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, de := range des {
		if !de.IsDir() && strings.HasSuffix(de.Name(), segmentExt) {
			out = append(out, filepath.Join(dir, de.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// LoadDir reads all segments; each file is closed by ReadSegment before
// the next is opened.
func LoadDir(dir string) ([]Entry, error) {
	paths, err := ListSegments(dir)
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, errNoSegments
	}
	var all []Entry
	for _, p := range paths {
		ents, err := ReadSegment(p)
		if err != nil {
			return all, err
		}
		all = append(all, ents...)
	}
	return all, nil
}

// WriteSegmentFile writes ents to a new file; the close error is joined
// into the named result and the buffer is flushed and checked explicitly.
func WriteSegmentFile(path string, ents []Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	for _, e := range ents {
		if err := encodeEntry(bw, e); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// RepairTail truncates a segment after its last valid entry.
func RepairTail(path string) (err error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	br := bufio.NewReader(f)
	var good int64
	for {
		e, derr := decodeEntry(br)
		if derr != nil {
			break
		}
		good += int64(25 + len(e.Data))
	}
	if err := f.Truncate(good); err != nil {
		return err
	}
	return f.Sync()
}

// Meta is the persisted hard state.
type Meta struct {
	Term   uint64 `json:"term"`
	Vote   uint64 `json:"vote"`
	Commit uint64 `json:"commit"`
}

// writeMeta stores the hard state next to the segments.
func writeMeta(dir string, m Meta) error {
	f, err := os.Create(filepath.Join(dir, "meta.json"))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// readMeta loads the hard state; a missing file is the zero state.
func readMeta(dir string) (Meta, error) {
	var m Meta
	b, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if errors.Is(err, os.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, err
	}
	return m, json.Unmarshal(b, &m)
}

// saveMetaAtomic writes the hard state through a temp file and a rename.
// The deferred Remove only matters on failure; after the rename it is a
// harmless ENOENT.
func saveMetaAtomic(dir string, m Meta) error {
	tmp, err := os.CreateTemp(dir, "meta-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := json.NewEncoder(tmp).Encode(m); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, "meta.json")); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir fsyncs a directory opened read-only.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// DiskStorage persists entries into size-bounded segments.
type DiskStorage struct {
	dir    string
	segMax int64
	logger *log.Logger

	mu  sync.Mutex
	cur *SegmentWriter
}

// OpenDiskStorage opens dir, starting a new segment after next-1.
func OpenDiskStorage(dir string, next uint64, segMax int64, logger *log.Logger) (*DiskStorage, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	w, err := CreateSegment(dir, next)
	if err != nil {
		return nil, err
	}
	return &DiskStorage{dir: dir, segMax: segMax, logger: logger, cur: w}, nil
}

// Save appends and syncs entries, rotating segments as they fill.
func (s *DiskStorage) Save(ents []Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return os.ErrClosed
	}
	for _, e := range ents {
		if s.cur.size >= s.segMax {
			if err := s.rotateLocked(e.Index); err != nil {
				return err
			}
		}
		if err := s.cur.Append(e); err != nil {
			return err
		}
	}
	return s.cur.Sync()
}

// rotateLocked closes the current segment and starts one at next.
func (s *DiskStorage) rotateLocked(next uint64) error {
	if err := s.cur.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", s.cur.path, err)
	}
	w, err := CreateSegment(s.dir, next)
	if err != nil {
		return err
	}
	s.cur = w
	return syncDir(s.dir)
}

// SaveMeta persists the hard state atomically.
func (s *DiskStorage) SaveMeta(m Meta) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return saveMetaAtomic(s.dir, m)
}

// Close closes the current segment.
func (s *DiskStorage) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return nil
	}
	err := s.cur.Close()
	s.cur = nil
	return err
}

// checkBoundary verifies that segment b starts right after segment a ends.
func (s *DiskStorage) checkBoundary(a, b string) error {
	f, err := os.Open(a)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	last, err := lastIndexIn(f)
	if err != nil {
		return fmt.Errorf("%s: %w", a, err)
	}
	f, err = os.Open(b)
	if err != nil {
		return err
	}
	first, err := decodeEntry(bufio.NewReader(f))
	if err != nil {
		return fmt.Errorf("%s: %w", b, err)
	}
	if first.Index != last+1 {
		return fmt.Errorf("%w: %s ends at %d, %s starts at %d", ErrGap, a, last, b, first.Index)
	}
	return nil
}

func lastIndexIn(r io.Reader) (uint64, error) {
	br := bufio.NewReader(r)
	var last uint64
	for {
		e, err := decodeEntry(br)
		if errors.Is(err, io.EOF) {
			return last, nil
		}
		if err != nil {
			return last, err
		}
		last = e.Index
	}
}

// syncLoop fsyncs the WAL directory every interval for the life of the
// process so that segment renames are durable.
func (s *DiskStorage) syncLoop(interval time.Duration) {
	t := time.NewTicker(interval)
	for range t.C {
		d, err := os.Open(s.dir)
		if err != nil {
			s.logger.Printf("raftlog: open %s: %v", s.dir, err)
			continue
		}
		defer d.Close() // HAZ defer-in-infinite-loop
		if err := d.Sync(); err != nil {
			s.logger.Printf("raftlog: fsync %s: %v", s.dir, err)
		}
	}
}

// StartSync runs syncLoop in the background.
func (s *DiskStorage) StartSync(interval time.Duration) {
	go s.syncLoop(interval)
}

// VerifyDir checks every segment boundary in dir.
func (s *DiskStorage) VerifyDir() error {
	paths, err := ListSegments(s.dir)
	if err != nil {
		return err
	}
	for i := 1; i < len(paths); i++ {
		if err := s.checkBoundary(paths[i-1], paths[i]); err != nil {
			return err
		}
	}
	return nil
}
