package export

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
)

// Record is one exported item.
type Record map[string]any

// WriteJSONLGz writes records as gzip-compressed JSON lines.
func WriteJSONLGz(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gz := gzip.NewWriter(f)
	defer gz.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(gz)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSONL writes records as JSON lines, buffered.
func WriteJSONL(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // ok: runs before f.Close, error kept
	enc := json.NewEncoder(bw)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSONLGzChecked is WriteJSONLGz with the gzip trailer error checked
// on the success path.
func WriteJSONLGzChecked(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gz := gzip.NewWriter(f)
	defer gz.Close() // ok: only matters on the error path; success path checks Close below
	enc := json.NewEncoder(gz)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return gz.Close()
}

// ReadJSONLGz decodes a file written by WriteJSONLGz.
func ReadJSONLGz(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer gz.Close() // ok: reader
	dec := json.NewDecoder(gz)
	var out []Record
	for {
		var r Record
		if err := dec.Decode(&r); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
}
