// Package segment writes and reads immutable on-disk index segments.
//
// A segment file is a fixed header followed by a gzip stream holding the
// sorted terms with their posting lists and the document lengths. Files are
// written to a temporary name, fsynced and renamed into place.
package segment

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

const (
	magic   = "SIXSEG01"
	version = 1
	ext     = ".seg"
)

// ErrBadMagic is returned for files that are not segments.
var ErrBadMagic = errors.New("segment: bad magic")

// Header is the uncompressed prefix of a segment file.
type Header struct {
	Version   uint16
	DocCount  uint32
	TermCount uint32
	Created   int64
}

// Meta describes a segment in the manifest.
type Meta struct {
	ID    uint64 `json:"id"`
	Path  string `json:"path"`
	Docs  int    `json:"docs"`
	Bytes int64  `json:"bytes"`
	Level int    `json:"level"`
}

type manifest struct {
	Version  int       `json:"version"`
	Segments []Meta    `json:"segments"`
	Written  time.Time `json:"written"`
}

func writeHeader(w io.Writer, h Header) error {
	if _, err := io.WriteString(w, magic); err != nil {
		return err
	}
	return binary.Write(w, binary.LittleEndian, h)
}

func readHeader(r io.Reader) (Header, error) {
	var m [len(magic)]byte
	if _, err := io.ReadFull(r, m[:]); err != nil {
		return Header{}, err
	}
	if string(m[:]) != magic {
		return Header{}, ErrBadMagic
	}
	var h Header
	if err := binary.Read(r, binary.LittleEndian, &h); err != nil {
		return Header{}, err
	}
	if h.Version != version {
		return Header{}, fmt.Errorf("segment: unsupported version %d", h.Version)
	}
	return h, nil
}

// FileName returns the file name of segment id.
func FileName(id uint64) string { return fmt.Sprintf("%016x%s", id, ext) }

// ParseID extracts the segment id from a file name.
func ParseID(name string) (uint64, bool) {
	if !strings.HasSuffix(name, ext) {
		return 0, false
	}
	id, err := strconv.ParseUint(strings.TrimSuffix(name, ext), 16, 64)
	return id, err == nil
}

// MaxID returns the largest id in metas.
func MaxID(metas []Meta) uint64 {
	var id uint64
	for _, m := range metas {
		id = max(id, m.ID)
	}
	return id
}
