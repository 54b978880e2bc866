package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// WriteSnapshot stores data gzip-compressed under name.
func (s *Store) WriteSnapshot(name string, data []byte) (err error) {
	f, err := os.Create(filepath.Join(s.dir, name+".gz"))
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	_, err = zw.Write(data)
	return err
}

// WriteSnapshotLevel is WriteSnapshot with an explicit compression level.
func (s *Store) WriteSnapshotLevel(name string, data []byte, level int) (err error) {
	f, err := os.Create(filepath.Join(s.dir, name+".gz"))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw, err := gzip.NewWriterLevel(f, level)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = zw.Write(data)
	return err
}

// ReadSnapshot returns the decompressed snapshot.
func (s *Store) ReadSnapshot(name string) ([]byte, error) {
	f, err := os.Open(filepath.Join(s.dir, name+".gz"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

// ExportCSV writes rows as CSV to path.
func ExportCSV(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSVChecked writes rows as CSV to path and reports buffered write errors.
func ExportCSVChecked(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush()
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// MergeParts concatenates the n numbered part files in dir into w.
func MergeParts(dir string, n int, w io.Writer) error {
	for i := range n {
		f, err := os.Open(filepath.Join(dir, fmt.Sprintf("part-%04d", i)))
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := io.Copy(w, f); err != nil {
			return fmt.Errorf("part %d: %w", i, err)
		}
	}
	return nil
}

// MergePartsScoped is MergeParts with each part closed before the next opens.
func MergePartsScoped(dir string, n int, w io.Writer) error {
	for i := range n {
		err := func() error {
			f, err := os.Open(filepath.Join(dir, fmt.Sprintf("part-%04d", i)))
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(w, f)
			return err
		}()
		if err != nil {
			return fmt.Errorf("part %d: %w", i, err)
		}
	}
	return nil
}

// VerifyManifest reads segment names from r up to the END line and checks
// that every segment is readable, returning their checksums.
func (s *Store) VerifyManifest(r io.Reader) (map[string]uint32, error) {
	br := bufio.NewReader(r)
	sums := make(map[string]uint32)
lines:
	for {
		line, err := br.ReadString('\n')
		switch {
		case errors.Is(err, io.EOF) && line == "":
			break lines
		case err != nil && !errors.Is(err, io.EOF):
			return nil, err
		}
		name := strings.TrimSpace(line)
		if name == "END" {
			break lines
		}
		seg, err := s.Segment(name)
		if err != nil {
			return nil, err
		}
		defer seg.Close() // HAZ defer-in-loop
		sum, err := checksum(seg)
		if err != nil {
			return nil, fmt.Errorf("segment %s: %w", name, err)
		}
		sums[name] = sum
	}
	return sums, nil
}

// VerifyManifestEach is VerifyManifest with one segment open at a time.
func (s *Store) VerifyManifestEach(r io.Reader) (map[string]uint32, error) {
	sc := bufio.NewScanner(r)
	sums := make(map[string]uint32)
lines:
	for sc.Scan() {
		name := strings.TrimSpace(sc.Text())
		switch name {
		case "":
			continue lines
		case "END":
			break lines
		}
		sum, err := s.Checksum(name)
		if err != nil {
			return nil, fmt.Errorf("segment %s: %w", name, err)
		}
		sums[name] = sum
	}
	return sums, sc.Err()
}

// Compact rewrites the named segments into one snapshot dst.
func (s *Store) Compact(names []string, dst string) error {
	var err error
	defer s.logOutcome("compact "+dst, err) // HAZ defer-eager-evaluation
	var buf bytes.Buffer
	if err = s.Concat(&buf, names); err != nil {
		return err
	}
	err = s.WriteSnapshot(dst, buf.Bytes())
	return err
}

// CompactEach is Compact with the outcome logged at exit time.
func (s *Store) CompactEach(names []string, dst string) (err error) {
	defer func() { s.logOutcome("compact "+dst, err) }()
	defer s.log.Printf("compacted %d segments into %s", len(names), dst)
	var buf bytes.Buffer
	if err = s.ConcatEach(&buf, names); err != nil {
		return err
	}
	return s.WriteSnapshotLevel(dst, buf.Bytes(), gzip.BestCompression)
}

func (s *Store) logOutcome(op string, err error) {
	if err != nil {
		s.log.Printf("%s: failed: %v", op, err)
		return
	}
	s.log.Printf("%s: ok", op)
}

// Record is one key/value pair of a record block.
type Record struct {
	Key, Value string
}

// decodeBlock parses a block of length-prefixed key/value pairs.
func decodeBlock(data []byte) ([]Record, error) {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if r := recover(); r != nil {
			err = fmt.Errorf("store: corrupt record block: %v", r)
		}
	}()
	var recs []Record
	for off := 0; off < len(data); {
		k, n := field(data[off:])
		v, m := field(data[off+n:])
		recs = append(recs, Record{Key: k, Value: v})
		off += n + m
	}
	return recs, err
}

// DecodeBlock parses a block of length-prefixed key/value pairs, reporting
// a truncated block as an error.
func DecodeBlock(data []byte) (recs []Record, err error) {
	defer func() {
		if r := recover(); r != nil {
			recs, err = nil, fmt.Errorf("store: corrupt record block: %v", r)
		}
	}()
	for off := 0; off < len(data); {
		k, n := field(data[off:])
		v, m := field(data[off+n:])
		recs = append(recs, Record{Key: k, Value: v})
		off += n + m
	}
	return recs, nil
}

// field reads one length-prefixed string; it panics on a short buffer.
func field(b []byte) (string, int) {
	n := int(binary.BigEndian.Uint32(b))
	if len(b) < 4+n {
		panic(fmt.Sprintf("short field: need %d bytes, have %d", 4+n, len(b)))
	}
	return string(b[4 : 4+n]), 4 + n
}

// LoadBlock reads and decodes a record block file.
func LoadBlock(path string) ([]Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return decodeBlock(data)
}
