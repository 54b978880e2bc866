package page

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
)

// Magic identifies an ekv data file.
const Magic uint32 = 0xE4B7C0DE

// Version is the file format version written by this package.
const Version uint32 = 2

const metaBodySize = 4 + 4 + 4 + 8 + 8 + 8 + 8 + 8

// ErrInvalidMeta is returned for a meta page that fails validation.
var ErrInvalidMeta = errors.New("page: invalid meta page")

// Meta is the root record of the database. Two copies are kept (pages 0
// and 1); a commit writes the copy selected by TxID%2, so a torn write
// never destroys the previous committed state.
type Meta struct {
	Magic     uint32
	Version   uint32
	PageSize  uint32
	Root      ID
	Freelist  ID
	HighWater ID // first page id past the end of the used area
	TxID      uint64
	Checksum  uint64
}

// NewMeta returns the meta record of an empty database.
func NewMeta(pageSize int) Meta {
	m := Meta{
		Magic:     Magic,
		Version:   Version,
		PageSize:  uint32(pageSize),
		Root:      InitRoot,
		Freelist:  InitFreelist,
		HighWater: InitPages,
	}
	m.Checksum = m.sum()
	return m
}

func (m *Meta) body(buf []byte) {
	le := binary.LittleEndian
	le.PutUint32(buf[0:4], m.Magic)
	le.PutUint32(buf[4:8], m.Version)
	le.PutUint32(buf[8:12], m.PageSize)
	le.PutUint64(buf[12:20], uint64(m.Root))
	le.PutUint64(buf[20:28], uint64(m.Freelist))
	le.PutUint64(buf[28:36], uint64(m.HighWater))
	le.PutUint64(buf[36:44], m.TxID)
}

func (m *Meta) sum() uint64 {
	var buf [metaBodySize]byte
	m.body(buf[:])
	h := fnv.New64a()
	h.Write(buf[:44])
	return h.Sum64()
}

// Slot returns the meta page id this meta is written to.
func (m *Meta) Slot() ID {
	return ID(m.TxID % 2)
}

// Encode writes the meta record, with header, into a page buffer.
func (m *Meta) Encode(buf []byte) {
	m.Checksum = m.sum()
	Header{ID: m.Slot(), Flags: FlagMeta}.Encode(buf)
	body := buf[HeaderSize:]
	m.body(body)
	binary.LittleEndian.PutUint64(body[44:52], m.Checksum)
}

// DecodeMeta decodes and validates the meta record stored in buf.
func DecodeMeta(buf []byte) (*Meta, error) {
	h, err := DecodeHeader(buf)
	if err != nil {
		return nil, err
	}
	if h.Flags&FlagMeta == 0 {
		return nil, fmt.Errorf("%w: page %d has type %s", ErrInvalidMeta, h.ID, h.Type())
	}
	b := buf[HeaderSize:]
	le := binary.LittleEndian
	m := &Meta{
		Magic:     le.Uint32(b[0:4]),
		Version:   le.Uint32(b[4:8]),
		PageSize:  le.Uint32(b[8:12]),
		Root:      ID(le.Uint64(b[12:20])),
		Freelist:  ID(le.Uint64(b[20:28])),
		HighWater: ID(le.Uint64(b[28:36])),
		TxID:      le.Uint64(b[36:44]),
		Checksum:  le.Uint64(b[44:52]),
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// Validate checks magic, version and checksum.
func (m *Meta) Validate() error {
	switch {
	case m.Magic != Magic:
		return fmt.Errorf("%w: bad magic %#x", ErrInvalidMeta, m.Magic)
	case m.Version != Version:
		return fmt.Errorf("%w: unsupported version %d", ErrInvalidMeta, m.Version)
	case m.Checksum != m.sum():
		return fmt.Errorf("%w: checksum mismatch", ErrInvalidMeta)
	case m.Root >= m.HighWater || m.Freelist >= m.HighWater:
		return fmt.Errorf("%w: root %d / freelist %d past high water %d", ErrInvalidMeta, m.Root, m.Freelist, m.HighWater)
	}
	return nil
}

// Newer picks the valid meta with the highest transaction id.
func Newer(a, b *Meta) *Meta {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case b.TxID > a.TxID:
		return b
	}
	return a
}
