// Package pack reads and writes packfiles: many objects compressed into one
// file, with a sorted .idx beside it mapping ids to offsets.
//
// Layout: "VPCK", version, object count (12 bytes), then per object a kind
// byte, a uvarint payload size and the zlib stream, and finally the SHA-1 of
// everything before the trailer.
package pack

import (
	"bufio"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"

	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/trace"
)

const (
	magic      = "VPCK"
	idxMagic   = "VIDX"
	version    = 2
	headerSize = 12
)

// IndexEntry locates one object inside a pack.
type IndexEntry struct {
	ID     object.ID
	Offset int64
	CRC    uint32
}

// Writer streams objects into a packfile.
type Writer struct {
	bw      *bufio.Writer
	sum     hash.Hash
	out     io.Writer // bw and sum together
	offset  int64
	want    uint32
	written uint32
	level   int
	index   []IndexEntry
}

// NewWriter writes the pack header for count objects to w.
func NewWriter(w io.Writer, count uint32, level int) (*Writer, error) {
	pw := &Writer{bw: bufio.NewWriterSize(w, 64<<10), sum: sha1.New(), want: count, level: level}
	pw.out = io.MultiWriter(pw.bw, pw.sum)
	var hdr [headerSize]byte
	copy(hdr[:4], magic)
	binary.BigEndian.PutUint32(hdr[4:8], version)
	binary.BigEndian.PutUint32(hdr[8:], count)
	if _, err := pw.Write(hdr[:]); err != nil {
		return nil, err
	}
	return pw, nil
}

// Write implements io.Writer for the raw pack stream, tracking the offset.
func (pw *Writer) Write(b []byte) (int, error) {
	n, err := pw.out.Write(b)
	pw.offset += int64(n)
	return n, err
}

// entryWriter feeds one object's bytes to the pack and to its CRC.
type entryWriter struct {
	pw  *Writer
	crc hash.Hash32
}

func (e entryWriter) Write(b []byte) (int, error) {
	e.crc.Write(b)
	return e.pw.Write(b)
}

// Add compresses one object into the pack and returns its id.
func (pw *Writer) Add(kind object.Kind, data []byte) (object.ID, error) {
	if pw.written == pw.want {
		return object.ZeroID, fmt.Errorf("pack: more than the %d objects announced", pw.want)
	}
	id := object.Hash(kind, data)
	start := pw.offset
	ew := entryWriter{pw: pw, crc: crc32.NewIEEE()}
	var hdr [1 + binary.MaxVarintLen64]byte
	hdr[0] = byte(kind)
	n := 1 + binary.PutUvarint(hdr[1:], uint64(len(data)))
	if _, err := ew.Write(hdr[:n]); err != nil {
		return object.ZeroID, err
	}
	zw, err := zlib.NewWriterLevel(ew, pw.level)
	if err != nil {
		return object.ZeroID, err
	}
	if _, err := zw.Write(data); err != nil {
		zw.Close()
		return object.ZeroID, err
	}
	if err := zw.Close(); err != nil {
		return object.ZeroID, err
	}
	pw.index = append(pw.index, IndexEntry{ID: id, Offset: start, CRC: ew.crc.Sum32()})
	pw.written++
	return id, nil
}

// Finish writes the trailer, flushes, and returns the pack checksum and the
// index entries sorted by id.
func (pw *Writer) Finish() (object.ID, []IndexEntry, error) {
	if pw.written != pw.want {
		return object.ZeroID, nil, fmt.Errorf("pack: header announced %d objects, %d written", pw.want, pw.written)
	}
	var trailer object.ID
	copy(trailer[:], pw.sum.Sum(nil))
	if _, err := pw.bw.Write(trailer[:]); err != nil {
		return object.ZeroID, nil, err
	}
	if err := pw.bw.Flush(); err != nil {
		return object.ZeroID, nil, err
	}
	sort.Slice(pw.index, func(i, j int) bool {
		a, b := pw.index[i].ID, pw.index[j].ID
		return string(a[:]) < string(b[:])
	})
	return trailer, pw.index, nil
}

// Build writes a pack holding ids from store into dir and returns its base
// name ("pack-<checksum>"). The pack is written under a temporary name and
// renamed only once complete.
func Build(dir string, store *object.Store, ids []object.ID) (name string, err error) {
	defer trace.Region("pack.build")()
	tmp, err := os.CreateTemp(dir, "tmp_pack_")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	pw, err := NewWriter(tmp, uint32(len(ids)), zlib.DefaultCompression)
	if err != nil {
		return "", err
	}
	for _, id := range ids {
		kind, data, err := store.Read(id)
		if err != nil {
			return "", err
		}
		if _, err := pw.Add(kind, data); err != nil {
			return "", err
		}
	}
	sum, entries, err := pw.Finish()
	if err != nil {
		return "", err
	}
	if err = tmp.Sync(); err != nil {
		return "", err
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	name = "pack-" + sum.String()
	if err = os.Rename(tmp.Name(), filepath.Join(dir, name+".pack")); err != nil {
		return "", err
	}
	if err = WriteIndex(filepath.Join(dir, name+".idx"), sum, entries); err != nil {
		return "", err
	}
	return name, nil
}

// Repack packs ids ordered by kind so that trees and commits, which are read
// together by log and checkout, end up next to each other.
func Repack(dir string, store *object.Store, ids []object.ID) (string, error) {
	defer trace.Region("pack.repack") // HAZ defer-func-result-not-called
	kinds := make(map[object.ID]object.Kind, len(ids))
	for _, id := range ids {
		kind, _, err := store.Read(id)
		if err != nil {
			return "", err
		}
		kinds[id] = kind
	}
	sorted := append([]object.ID(nil), ids...)
	sort.SliceStable(sorted, func(i, j int) bool { return kinds[sorted[i]] > kinds[sorted[j]] })
	return Build(dir, store, sorted)
}

// WriteIndex writes the .idx file for a pack.
func WriteIndex(path string, packSum object.ID, entries []IndexEntry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	var hdr [8]byte
	copy(hdr[:4], idxMagic)
	binary.BigEndian.PutUint32(hdr[4:], uint32(len(entries)))
	bw.Write(hdr[:])
	bw.Write(packSum[:])
	var rec [8 + 4]byte
	for _, e := range entries {
		bw.Write(e.ID[:])
		binary.BigEndian.PutUint64(rec[:8], uint64(e.Offset))
		binary.BigEndian.PutUint32(rec[8:], e.CRC)
		bw.Write(rec[:])
	}
	return bw.Flush()
}
