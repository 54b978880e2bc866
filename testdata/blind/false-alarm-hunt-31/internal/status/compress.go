package status

import (
	"bytes"
	"compress/gzip"
	"encoding/json"

	"example.com/fah31/api"
)

// CompressStatus returns obj's status as gzip-compressed JSON, for the
// annotation that carries the last applied status.
func CompressStatus(obj *api.Object) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	defer zw.Close() // HAZ defer-close-unchecked-write
	if err := json.NewEncoder(zw).Encode(obj.Status); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CompressStatusClosed closes the gzip writer, checking its error, before
// reading the buffer.
func CompressStatusClosed(obj *api.Object) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(obj.Status); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
