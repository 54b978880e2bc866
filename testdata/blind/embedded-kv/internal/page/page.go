// Package page defines the on-disk page layout shared by the pager, the
// B-tree and the freelist.
//
// Every page starts with a 16 byte header:
//
//	offset 0  id       uint64
//	offset 8  flags    uint16
//	offset 10 count    uint16
//	offset 12 checksum uint32 (crc32 of the page body, 0 = unchecked)
package page

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// ID identifies a page by its index in the data file.
type ID uint64

// HeaderSize is the size of the fixed page header.
const HeaderSize = 16

// Page type flags.
const (
	FlagBranch   uint16 = 0x01
	FlagLeaf     uint16 = 0x02
	FlagMeta     uint16 = 0x04
	FlagFreelist uint16 = 0x10
)

// Well-known page ids of a freshly initialised file.
const (
	MetaA        ID = 0
	MetaB        ID = 1
	InitFreelist ID = 2
	InitRoot     ID = 3
	InitPages       = 4
)

// DefaultSize is the page size used when the caller does not choose one.
const DefaultSize = 4096

var (
	// ErrShortPage is returned when a buffer is smaller than a header.
	ErrShortPage = errors.New("page: buffer shorter than header")
	// ErrChecksum is returned when a page body does not match its checksum.
	ErrChecksum = errors.New("page: checksum mismatch")
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Header is the decoded form of a page header.
type Header struct {
	ID       ID
	Flags    uint16
	Count    uint16
	Checksum uint32
}

// DecodeHeader reads the header at the start of buf.
func DecodeHeader(buf []byte) (Header, error) {
	if len(buf) < HeaderSize {
		return Header{}, ErrShortPage
	}
	return Header{
		ID:       ID(binary.LittleEndian.Uint64(buf[0:8])),
		Flags:    binary.LittleEndian.Uint16(buf[8:10]),
		Count:    binary.LittleEndian.Uint16(buf[10:12]),
		Checksum: binary.LittleEndian.Uint32(buf[12:16]),
	}, nil
}

// Encode writes h into the first HeaderSize bytes of buf.
func (h Header) Encode(buf []byte) {
	binary.LittleEndian.PutUint64(buf[0:8], uint64(h.ID))
	binary.LittleEndian.PutUint16(buf[8:10], h.Flags)
	binary.LittleEndian.PutUint16(buf[10:12], h.Count)
	binary.LittleEndian.PutUint32(buf[12:16], h.Checksum)
}

// Type returns a human readable page type, used by kvcli inspect.
func (h Header) Type() string {
	switch {
	case h.Flags&FlagBranch != 0:
		return "branch"
	case h.Flags&FlagLeaf != 0:
		return "leaf"
	case h.Flags&FlagMeta != 0:
		return "meta"
	case h.Flags&FlagFreelist != 0:
		return "freelist"
	}
	return fmt.Sprintf("unknown(%#x)", h.Flags)
}

// Seal computes the checksum of the page body and stores it in the header.
func Seal(buf []byte) {
	sum := crc32.Checksum(buf[HeaderSize:], castagnoli)
	binary.LittleEndian.PutUint32(buf[12:16], sum)
}

// Verify checks the body checksum written by Seal. Pages with a zero
// checksum were written by an older version and are accepted.
func Verify(buf []byte) error {
	h, err := DecodeHeader(buf)
	if err != nil {
		return err
	}
	if h.Checksum == 0 {
		return nil
	}
	if crc32.Checksum(buf[HeaderSize:], castagnoli) != h.Checksum {
		return fmt.Errorf("%w: page %d", ErrChecksum, h.ID)
	}
	return nil
}

// Offset returns the byte offset of page id in a file of the given page size.
func Offset(id ID, pageSize int) int64 {
	return int64(id) * int64(pageSize)
}
