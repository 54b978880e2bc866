// Package fqueue is a file-backed append-only queue made of numbered
// segment files.
package fqueue

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const (
	segPrefix = "seg-"
	segSuffix = ".log"
	headerLen = 8 // 4-byte length + 4-byte CRC32
)

// ErrCorrupt is returned when a frame fails its checksum.
var ErrCorrupt = errors.New("fqueue: corrupt frame")

// segment is an open, writable segment file.
type segment struct {
	id   uint64
	path string
	f    *os.File
	w    *bufio.Writer
	size int64
}

func segName(id uint64) string {
	return fmt.Sprintf("%s%020d%s", segPrefix, id, segSuffix)
}

func parseSegName(name string) (uint64, bool) {
	if !strings.HasPrefix(name, segPrefix) || !strings.HasSuffix(name, segSuffix) {
		return 0, false
	}
	id, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(name, segPrefix), segSuffix), 10, 64)
	return id, err == nil
}

// openSegment opens (or creates) segment id in dir for appending. The file
// stays open in the returned segment; it is closed by segment.close.
func openSegment(dir string, id uint64) (*segment, error) {
	path := filepath.Join(dir, segName(id))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		return nil, errors.Join(err, f.Close())
	}
	return &segment{id: id, path: path, f: f, w: bufio.NewWriter(f), size: st.Size()}, nil
}

func frameLen(rec []byte) int64 { return int64(headerLen + len(rec)) }

// append writes one framed record into the buffer.
func (s *segment) append(rec []byte) error {
	var hdr [headerLen]byte
	binary.BigEndian.PutUint32(hdr[0:4], uint32(len(rec)))
	binary.BigEndian.PutUint32(hdr[4:8], crc32.ChecksumIEEE(rec))
	if _, err := s.w.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := s.w.Write(rec); err != nil {
		return err
	}
	s.size += frameLen(rec)
	return nil
}

// flush pushes buffered frames to the file.
func (s *segment) flush() error { return s.w.Flush() }

// sync flushes and fsyncs the segment.
func (s *segment) sync() error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	return s.f.Sync()
}

// close flushes, syncs and closes the file, reporting every error.
func (s *segment) close() error {
	return errors.Join(s.sync(), s.f.Close())
}

// readFrames calls fn for every frame in r until EOF.
func readFrames(r io.Reader, fn func([]byte) error) error {
	br := bufio.NewReader(r)
	var hdr [headerLen]byte
	for {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		n := binary.BigEndian.Uint32(hdr[0:4])
		rec := make([]byte, n)
		if _, err := io.ReadFull(br, rec); err != nil {
			return err
		}
		if crc32.ChecksumIEEE(rec) != binary.BigEndian.Uint32(hdr[4:8]) {
			return ErrCorrupt
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// readSegmentFile replays one segment file. It only reads, so the deferred
// Close has no write error to lose.
func readSegmentFile(path string, fn func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return readFrames(f, fn)
}

// listSegments returns the segment ids in dir in ascending order.
func listSegments(dir string) ([]uint64, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var ids []uint64
	for _, e := range ents {
		if id, ok := parseSegName(e.Name()); ok && !e.IsDir() {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}
