package pool

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
)

// maxPooledBuffer keeps oversized buffers from pinning memory.
const maxPooledBuffer = 64 << 10

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// GetBuffer returns an empty buffer from the shared pool.
func GetBuffer() *bytes.Buffer {
	b := buffers.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// PutBuffer returns b to the shared pool unless it grew too large.
func PutBuffer(b *bytes.Buffer) {
	if b == nil || b.Cap() > maxPooledBuffer {
		return
	}
	buffers.Put(b)
}

// EncodeJSON renders v into a pooled buffer and writes it to w in one call.
func EncodeJSON(w io.Writer, v any) error {
	b := GetBuffer()
	defer PutBuffer(b)
	if err := json.NewEncoder(b).Encode(v); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Concat joins parts with sep using a pooled scratch buffer.
func Concat(sep string, parts ...string) string {
	b := GetBuffer()
	defer PutBuffer(b)
	for i, p := range parts {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}

// CopyPooled copies src to dst through a pooled 32 KiB slice.
func CopyPooled(dst io.Writer, src io.Reader) (int64, error) {
	bp := chunks.Get().(*[]byte)
	defer chunks.Put(bp)
	return io.CopyBuffer(dst, src, *bp)
}

var chunks = sync.Pool{New: func() any {
	b := make([]byte, 32<<10)
	return &b
}}

// Slab hands out fixed-size byte slices from a bounded free list.
type Slab struct {
	size int
	free *Pool[[]byte]
}

// NewSlab returns a slab of size-byte slices keeping up to keep idle.
func NewSlab(size, keep int) *Slab {
	return &Slab{
		size: size,
		free: New(keep, func() []byte { return make([]byte, size) },
			WithReset(func(b []byte) { clear(b) })),
	}
}

// Borrow lends a slice to fn and takes it back afterwards.
func (s *Slab) Borrow(fn func([]byte) error) error {
	b := s.free.Get()
	defer s.free.Put(b)
	return fn(b[:s.size])
}

// Size returns the slice size handed out by the slab.
func (s *Slab) Size() int { return s.size }
