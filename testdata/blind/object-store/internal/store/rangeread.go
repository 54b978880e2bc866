package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrUnsatisfiableRange is returned for a Range header that selects nothing.
var ErrUnsatisfiableRange = errors.New("store: range not satisfiable")

// ByteRange is an inclusive byte range of an object.
type ByteRange struct {
	Start, End int64
}

// Len is the number of bytes in the range.
func (r ByteRange) Len() int64 { return r.End - r.Start + 1 }

// ParseRange parses a single-range "bytes=" header against an object of the
// given size. partial is false when the header is absent.
func ParseRange(header string, size int64) (rng ByteRange, partial bool, err error) {
	full := ByteRange{Start: 0, End: size - 1}
	if header == "" {
		return full, false, nil
	}
	spec, ok := strings.CutPrefix(header, "bytes=")
	if !ok || strings.Contains(spec, ",") || size == 0 {
		return full, false, ErrUnsatisfiableRange
	}
	first, last, ok := strings.Cut(spec, "-")
	if !ok {
		return full, false, ErrUnsatisfiableRange
	}
	if first == "" { // suffix range: the last N bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n <= 0 {
			return full, false, ErrUnsatisfiableRange
		}
		n = min(n, size)
		return ByteRange{Start: size - n, End: size - 1}, true, nil
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 || start >= size {
		return full, false, ErrUnsatisfiableRange
	}
	end := size - 1
	if last != "" {
		e, err := strconv.ParseInt(last, 10, 64)
		if err != nil || e < start {
			return full, false, ErrUnsatisfiableRange
		}
		end = min(e, end)
	}
	return ByteRange{Start: start, End: end}, true, nil
}

// Segment is one file of a segmented object. Objects imported from the old
// large-object layout are stored as fixed-size segments listed in a
// "<key>.seg" manifest instead of a single data file.
type Segment struct {
	Path   string
	SHA256 string
}

type segmentManifest struct {
	SegmentSize int64    `json:"segment_size"`
	Segments    []string `json:"segments"`
	SHA256      []string `json:"sha256"`
}

// Segments returns the segment files of a segmented object, or nil for an
// ordinary one.
func (s *Store) Segments(bucket, key string) ([]Segment, int64, error) {
	base := s.ObjectPath(bucket, key)
	data, err := os.ReadFile(base + ".seg")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	var m segmentManifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, 0, fmt.Errorf("store: segment manifest of %s/%s: %w", bucket, key, err)
	}
	if m.SegmentSize <= 0 || len(m.SHA256) != len(m.Segments) {
		return nil, 0, fmt.Errorf("store: corrupt segment manifest of %s/%s", bucket, key)
	}
	dir := filepath.Dir(base)
	segs := make([]Segment, len(m.Segments))
	for i, name := range m.Segments {
		segs[i] = Segment{Path: filepath.Join(dir, name), SHA256: m.SHA256[i]}
	}
	return segs, m.SegmentSize, nil
}

// ReadRange copies rng of an object to w.
func (s *Store) ReadRange(bucket, key string, rng ByteRange, w io.Writer) (int64, error) {
	segs, segSize, err := s.Segments(bucket, key)
	if err != nil {
		return 0, err
	}
	if len(segs) > 0 {
		paths := make([]string, len(segs))
		for i, sg := range segs {
			paths[i] = sg.Path
		}
		return readSegmentsRange(paths, segSize, rng, w)
	}
	f, err := os.Open(s.ObjectPath(bucket, key))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if _, err := f.Seek(rng.Start, io.SeekStart); err != nil {
		return 0, err
	}
	return io.CopyN(w, f, rng.Len())
}

// readSegmentsRange serves a range that may span several segment files.
func readSegmentsRange(paths []string, segSize int64, rng ByteRange, w io.Writer) (int64, error) {
	idx := rng.Start / segSize
	off := rng.Start % segSize
	if idx >= int64(len(paths)) {
		return 0, ErrUnsatisfiableRange
	}
	f, err := os.Open(paths[idx])
	if err != nil {
		return 0, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	remaining := rng.Len()
	var written int64
	for remaining > 0 {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			return written, err
		}
		c, err := io.CopyN(w, f, min(remaining, segSize-off))
		written += c
		remaining -= c
		if err != nil {
			return written, err
		}
		if remaining == 0 {
			break
		}
		idx++
		off = 0
		if idx >= int64(len(paths)) {
			return written, io.ErrUnexpectedEOF
		}
		f, err = os.Open(paths[idx])
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

// HashFile returns the hex SHA-256 of a file's content.
func HashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
