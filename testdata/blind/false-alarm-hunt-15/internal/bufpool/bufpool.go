// Package bufpool shares byte buffers through a sync.Pool.
package bufpool

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
)

const maxPooled = 64 << 10

var pool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Get returns an empty buffer.
func Get() *bytes.Buffer {
	b := pool.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// Put returns b to the pool unless it grew too large.
func Put(b *bytes.Buffer) {
	if b == nil || b.Cap() > maxPooled {
		return
	}
	pool.Put(b)
}

// MarshalJSON encodes v using a pooled buffer and returns a private copy.
func MarshalJSON(v any) ([]byte, error) {
	b := Get()
	defer Put(b)
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.Clone(b.Bytes()), nil
}

// WriteJSON encodes v into w through a pooled buffer so a failed encode
// writes nothing.
func WriteJSON(w io.Writer, v any) error {
	b := Get()
	defer Put(b)
	if err := json.NewEncoder(b).Encode(v); err != nil {
		return err
	}
	_, err := b.WriteTo(w)
	return err
}
