package status

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// WriteArchive stores every record gzip-compressed in path.
func WriteArchive(path string, records []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()

	enc := json.NewEncoder(zw)
	for _, rec := range records {
		if err := enc.Encode(rec); err != nil {
			return fmt.Errorf("status: archive %s/%s: %w", rec.Namespace, rec.Name, err)
		}
	}
	return nil
}

// WriteReport writes a human-readable line per record through a buffer.
func WriteReport(path string, records []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()

	for _, rec := range records {
		if _, err := fmt.Fprintf(bw, "%s/%s\t%s\t%d\n", rec.Namespace, rec.Name, rec.Status.Phase, rec.Status.ReadyReplicas); err != nil {
			return err
		}
	}
	return nil
}

// EncodeArchive writes the records gzip-compressed to w.
func EncodeArchive(w io.Writer, records []Record) error {
	zw := gzip.NewWriter(w)
	defer zw.Close()
	enc := json.NewEncoder(zw)
	for _, rec := range records {
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	return zw.Close()
}

// ExportJSONL writes the records uncompressed, one per line, through a buffer.
func ExportJSONL(path string, records []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()

	enc := json.NewEncoder(bw)
	for _, rec := range records {
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	return nil
}

// ReadArchive reads an archive written by WriteArchive or EncodeArchive.
func ReadArchive(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("status: %s: %w", path, err)
	}
	defer zr.Close()

	var out []Record
	dec := json.NewDecoder(zr)
	for {
		var rec Record
		err := dec.Decode(&rec)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
}

// WriteCompressedSummary stores all records as one gzip-compressed JSON array.
func WriteCompressedSummary(path string, records []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(zw).Encode(records)
}

// ReadCompressedSummary reads a file written by WriteCompressedSummary.
func ReadCompressedSummary(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("status: %s: %w", path, err)
	}
	var recs []Record
	err = json.NewDecoder(zr).Decode(&recs)
	return recs, err
}
