package recordio

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// WriteGzip writes recs to a gzip-compressed record file.
func WriteGzip(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	for _, r := range recs {
		if err := Encode(zw, r); err != nil {
			return err
		}
	}
	return nil
}

// WriteIndex writes keys, one per line, to a gzip-compressed index file.
func WriteIndex(path string, keys []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(zw)
	for _, k := range keys {
		bw.WriteString(k)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// ExportJSON writes recs as a stream of JSON objects.
func ExportJSON(path string, recs []Record) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return f.Close()
}

// ExportTSV writes recs as tab-separated key and hex value lines.
func ExportTSV(path string, recs []Record) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, r := range recs {
		if _, err := fmt.Fprintf(f, "%s\t%x\n", r.Key, r.Value); err != nil {
			return err
		}
	}
	return nil
}

// ExportTSVSynced is ExportTSV for callers that need the data on stable
// storage when it returns.
func ExportTSVSynced(path string, recs []Record) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	for _, r := range recs {
		fmt.Fprintf(bw, "%s\t%x\n", r.Key, r.Value)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// WriteGzipJSON writes v as gzip-compressed JSON.
func WriteGzipJSON(path string, v any) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(zw).Encode(v)
}

// ReadGzipJSON decodes a file written by WriteGzipJSON into v.
func ReadGzipJSON(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	defer zr.Close()
	return json.NewDecoder(zr).Decode(v)
}
