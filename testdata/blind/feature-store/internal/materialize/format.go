// Package materialize turns offline partition files into online cache
// entries and publishes compressed snapshots of what it loaded.
//
// Partition files use a small columnar layout (a stand-in for Parquet): a
// fixed header, the entity ids and event timestamps, then one float64 column
// per feature, all little-endian.
package materialize

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

var magic = [4]byte{'F', 'S', 'P', 'Q'}

const formatVersion uint16 = 1

// ErrBadMagic marks a file that is not a partition file.
var ErrBadMagic = errors.New("materialize: not a feature partition file")

type header struct {
	Magic   [4]byte
	Version uint16
	Rows    uint32
	Cols    uint16
}

// Column is one feature's values, aligned with RowGroup.EntityIDs.
type Column struct {
	Name   string
	Values []float64
}

// RowGroup is the content of one partition file.
type RowGroup struct {
	EntityIDs  []string
	Timestamps []int64 // unix nanoseconds of the feature event
	Columns    []Column
}

// Rows is the number of rows in the group.
func (rg *RowGroup) Rows() int { return len(rg.EntityIDs) }

// Validate checks that every column is aligned with the entity ids.
func (rg *RowGroup) Validate() error {
	if len(rg.Timestamps) != len(rg.EntityIDs) {
		return fmt.Errorf("materialize: %d timestamps for %d rows", len(rg.Timestamps), len(rg.EntityIDs))
	}
	for _, c := range rg.Columns {
		if len(c.Values) != len(rg.EntityIDs) {
			return fmt.Errorf("materialize: column %s has %d values for %d rows", c.Name, len(c.Values), len(rg.EntityIDs))
		}
	}
	return nil
}

// WriteRowGroup encodes rg.
func WriteRowGroup(w io.Writer, rg *RowGroup) error {
	if err := rg.Validate(); err != nil {
		return err
	}
	hdr := header{Magic: magic, Version: formatVersion, Rows: uint32(rg.Rows()), Cols: uint16(len(rg.Columns))}
	if err := binary.Write(w, binary.LittleEndian, hdr); err != nil {
		return err
	}
	for i, id := range rg.EntityIDs {
		if err := writeString(w, id); err != nil {
			return err
		}
		if err := binary.Write(w, binary.LittleEndian, rg.Timestamps[i]); err != nil {
			return err
		}
	}
	for _, c := range rg.Columns {
		if err := writeString(w, c.Name); err != nil {
			return err
		}
		if err := binary.Write(w, binary.LittleEndian, c.Values); err != nil {
			return err
		}
	}
	return nil
}

// ReadRowGroup decodes one row group. It returns io.EOF, unwrapped, when r
// is exhausted before the header.
func ReadRowGroup(r io.Reader) (*RowGroup, error) {
	var hdr header
	if err := binary.Read(r, binary.LittleEndian, &hdr); err != nil {
		return nil, err
	}
	if hdr.Magic != magic {
		return nil, ErrBadMagic
	}
	if hdr.Version != formatVersion {
		return nil, fmt.Errorf("materialize: unsupported format version %d", hdr.Version)
	}
	rg := &RowGroup{
		EntityIDs:  make([]string, hdr.Rows),
		Timestamps: make([]int64, hdr.Rows),
		Columns:    make([]Column, hdr.Cols),
	}
	for i := range rg.EntityIDs {
		id, err := readString(r)
		if err != nil {
			return nil, unexpected(err)
		}
		rg.EntityIDs[i] = id
		if err := binary.Read(r, binary.LittleEndian, &rg.Timestamps[i]); err != nil {
			return nil, unexpected(err)
		}
	}
	for i := range rg.Columns {
		name, err := readString(r)
		if err != nil {
			return nil, unexpected(err)
		}
		vals := make([]float64, hdr.Rows)
		if err := binary.Read(r, binary.LittleEndian, vals); err != nil {
			return nil, unexpected(err)
		}
		rg.Columns[i] = Column{Name: name, Values: vals}
	}
	return rg, nil
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func writeString(w io.Writer, s string) error {
	if len(s) > 0xffff {
		return fmt.Errorf("materialize: string of %d bytes too long", len(s))
	}
	if err := binary.Write(w, binary.LittleEndian, uint16(len(s))); err != nil {
		return err
	}
	_, err := io.WriteString(w, s)
	return err
}

func readString(r io.Reader) (string, error) {
	var n uint16
	if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
		return "", err
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return "", err
	}
	return string(buf), nil
}
