// Package multipart uploads large objects in concurrently sent parts.
package multipart

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
)

// Limits of the multipart protocol.
const (
	MinPartSize = 5 << 20
	MaxPartSize = 5 << 30
	MaxParts    = 10000
)

// Part is one piece of a multipart upload.
type Part struct {
	Number int    `json:"partNumber"`
	Offset int64  `json:"-"`
	Size   int64  `json:"-"`
	ETag   string `json:"etag"`
}

func (p Part) String() string {
	return fmt.Sprintf("part %d [%d, %d)", p.Number, p.Offset, p.Offset+p.Size)
}

// OptimalPartSize returns the smallest part size that keeps size within
// MaxParts parts.
func OptimalPartSize(size int64) int64 {
	ps := int64(MinPartSize)
	for size/ps >= MaxParts {
		ps *= 2
	}
	return ps
}

// SplitParts cuts size bytes into parts of partSize.
func SplitParts(size, partSize int64) ([]Part, error) {
	if size < 0 {
		return nil, errors.New("multipart: negative size")
	}
	if partSize < MinPartSize || partSize > MaxPartSize {
		return nil, fmt.Errorf("multipart: part size %d out of range", partSize)
	}
	n := (size + partSize - 1) / partSize
	if n == 0 {
		n = 1
	}
	if n > MaxParts {
		return nil, fmt.Errorf("multipart: %d parts exceed the limit of %d", n, MaxParts)
	}
	parts := make([]Part, 0, n)
	for i := int64(0); i < n; i++ {
		off := i * partSize
		sz := partSize
		if off+sz > size {
			sz = size - off
		}
		parts = append(parts, Part{Number: int(i) + 1, Offset: off, Size: sz})
	}
	return parts, nil
}

// sortParts orders parts by number.
func sortParts(parts []Part) {
	sort.Slice(parts, func(i, j int) bool { return parts[i].Number < parts[j].Number })
}

// completeBody renders the completion document.
func completeBody(parts []Part) ([]byte, error) {
	sorted := append([]Part(nil), parts...)
	sortParts(sorted)
	for _, p := range sorted {
		if p.ETag == "" {
			return nil, fmt.Errorf("multipart: %s has no ETag", p)
		}
	}
	return json.Marshal(struct {
		Parts []Part `json:"parts"`
	}{sorted})
}

// BufferPool recycles part buffers.
type BufferPool struct {
	size int64
	pool sync.Pool
}

// NewBufferPool returns a pool of size-byte buffers.
func NewBufferPool(size int64) *BufferPool {
	bp := &BufferPool{size: size}
	bp.pool.New = func() any { b := make([]byte, size); return &b }
	return bp
}

// Get returns a buffer and the function that gives it back.
func (b *BufferPool) Get() ([]byte, func()) {
	bp := b.pool.Get().(*[]byte)
	return *bp, func() { b.pool.Put(bp) }
}
