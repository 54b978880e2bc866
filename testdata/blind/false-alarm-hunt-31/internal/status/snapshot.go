package status

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"

	"example.com/fah31/api"
)

// WriteSnapshot writes objs as gzip-compressed JSON lines. The file's close
// is deferred first so that it runs after the gzip writer's; both errors are
// joined into the named result.
func WriteSnapshot(path string, objs []*api.Object) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	enc := json.NewEncoder(zw)
	for _, o := range objs {
		if err := enc.Encode(o); err != nil {
			return err
		}
	}
	return nil
}

// WriteDelta writes only the changed objects, in the same format.
func WriteDelta(path string, changed []*api.Object) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := json.NewEncoder(zw)
	for _, o := range changed {
		if err := enc.Encode(o); err != nil {
			return err
		}
	}
	return nil
}

// ReadSnapshot reads a snapshot written by WriteSnapshot or WriteDelta.
func ReadSnapshot(path string) ([]*api.Object, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	dec := json.NewDecoder(zr)
	var out []*api.Object
	for {
		var o api.Object
		if err := dec.Decode(&o); err == io.EOF {
			return out, nil
		} else if err != nil {
			return out, err
		}
		out = append(out, &o)
	}
}
