// Package pager reads and writes fixed-size pages of a single data file
// with positional I/O (ReadAt/WriteAt), so concurrent readers never share a
// file offset.
package pager

import (
	"errors"
	"fmt"
	"io"
	"os"

	"example.com/ekv/internal/page"
)

// ErrReadOnly is returned by write operations on a read-only pager.
var ErrReadOnly = errors.New("pager: read-only")

// Pager owns the data file.
type Pager struct {
	f        *os.File
	path     string
	pageSize int
	readOnly bool
}

// Open opens an existing, initialised data file.
func Open(path string, pageSize int, readOnly bool) (*Pager, error) {
	flag := os.O_RDWR
	if readOnly {
		flag = os.O_RDONLY
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return nil, err
	}
	p := &Pager{f: f, path: path, pageSize: pageSize, readOnly: readOnly}
	size, err := p.Size()
	if err != nil {
		f.Close()
		return nil, err
	}
	if size < int64(page.InitPages*pageSize) {
		f.Close()
		return nil, fmt.Errorf("pager: %s is %d bytes, too small for page size %d", path, size, pageSize)
	}
	return p, nil
}

// Path returns the data file path.
func (p *Pager) Path() string { return p.path }

// PageSize returns the page size in bytes.
func (p *Pager) PageSize() int { return p.pageSize }

// ReadOnly reports whether the file was opened read-only.
func (p *Pager) ReadOnly() bool { return p.readOnly }

// Read returns a fresh buffer holding page id.
func (p *Pager) Read(id page.ID) ([]byte, error) {
	buf := make([]byte, p.pageSize)
	n, err := p.f.ReadAt(buf, page.Offset(id, p.pageSize))
	if err == io.EOF && n == len(buf) {
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("pager: read page %d: %w", id, err)
	}
	if err := page.Verify(buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// Write seals buf and writes it at the position of page id.
func (p *Pager) Write(id page.ID, buf []byte) error {
	if p.readOnly {
		return ErrReadOnly
	}
	if len(buf) != p.pageSize {
		return fmt.Errorf("pager: write page %d: buffer is %d bytes, want %d", id, len(buf), p.pageSize)
	}
	page.Seal(buf)
	if _, err := p.f.WriteAt(buf, page.Offset(id, p.pageSize)); err != nil {
		return fmt.Errorf("pager: write page %d: %w", id, err)
	}
	return nil
}

// Size returns the current file size in bytes.
func (p *Pager) Size() (int64, error) {
	fi, err := p.f.Stat()
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// Grow extends the file so that it holds at least n pages. Growth is
// rounded up to 1 MiB steps to keep the number of truncates low.
func (p *Pager) Grow(n page.ID) error {
	if p.readOnly {
		return ErrReadOnly
	}
	want := page.Offset(n, p.pageSize)
	size, err := p.Size()
	if err != nil {
		return err
	}
	if size >= want {
		return nil
	}
	const step = 1 << 20
	if want < size+step {
		want = size + step
	}
	return p.f.Truncate(want)
}

// Sync flushes written pages to stable storage.
func (p *Pager) Sync() error {
	if p.readOnly {
		return nil
	}
	return p.f.Sync()
}

// Close syncs (when writable) and closes the file.
func (p *Pager) Close() error {
	if p.f == nil {
		return nil
	}
	var err error
	if !p.readOnly {
		err = p.f.Sync()
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	p.f = nil
	return err
}

// InitFile creates a new data file holding two meta pages, an empty
// freelist and an empty root leaf.
func InitFile(path string, pageSize int) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write

	buf := make([]byte, page.InitPages*pageSize)
	for slot := page.MetaA; slot <= page.MetaB; slot++ {
		m := page.NewMeta(pageSize)
		m.TxID = uint64(slot)
		m.Encode(buf[page.Offset(slot, pageSize):])
	}
	page.Header{ID: page.InitFreelist, Flags: page.FlagFreelist}.Encode(buf[page.Offset(page.InitFreelist, pageSize):])
	page.Header{ID: page.InitRoot, Flags: page.FlagLeaf}.Encode(buf[page.Offset(page.InitRoot, pageSize):])
	for id := page.ID(0); id < page.InitPages; id++ {
		off := page.Offset(id, pageSize)
		page.Seal(buf[off : off+int64(pageSize)])
	}
	_, err = f.Write(buf)
	return err
}

// Probe opens path read-only and returns the page size recorded in its
// newest valid meta page.
func Probe(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()

	buf := make([]byte, page.HeaderSize+64)
	if _, err := io.ReadFull(f, buf); err != nil {
		return 0, fmt.Errorf("pager: probe %s: %w", path, err)
	}
	h, err := page.DecodeHeader(buf)
	if err != nil {
		return 0, err
	}
	if h.Flags&page.FlagMeta == 0 {
		return 0, fmt.Errorf("pager: %s: first page is %s, not meta", path, h.Type())
	}
	size := int(uint32(buf[page.HeaderSize+8]) | uint32(buf[page.HeaderSize+9])<<8 |
		uint32(buf[page.HeaderSize+10])<<16 | uint32(buf[page.HeaderSize+11])<<24)
	if size < 512 || size&(size-1) != 0 {
		return 0, fmt.Errorf("pager: %s: implausible page size %d", path, size)
	}
	return size, nil
}

// CopyFile copies a closed data file byte for byte (used by kvcli for
// offline backups). The copy is synced before it is reported complete.
func CopyFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()

	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, out.Close())
	}()

	if _, err = io.Copy(out, in); err != nil {
		return err
	}
	return out.Sync()
}
