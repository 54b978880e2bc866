package registry

import (
	"encoding/gob"
	"encoding/json"
	"io"
)

// JSON encodes metadata as indented JSON.
type JSON struct{}

// Name implements Codec.
func (JSON) Name() string { return "json" }

// Encode implements Codec.
func (JSON) Encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Decode implements Codec.
func (JSON) Decode(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// Gob encodes metadata with encoding/gob.
type Gob struct{}

// Name implements Codec.
func (Gob) Name() string { return "gob" }

// Encode implements Codec.
func (Gob) Encode(w io.Writer, v any) error { return gob.NewEncoder(w).Encode(v) }

// Decode implements Codec.
func (Gob) Decode(r io.Reader, v any) error { return gob.NewDecoder(r).Decode(v) }

// Default holds the built-in codecs.
var Default = newDefault()

func newDefault() *Registry {
	r := New()
	for _, c := range []Codec{JSON{}, Gob{}} {
		if err := r.Register(c); err != nil {
			panic(err)
		}
	}
	return r
}
