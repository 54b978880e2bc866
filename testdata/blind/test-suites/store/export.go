package store

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"example.com/testsuites/order"
)

var csvHeader = []string{"id", "customer", "status", "items", "total_cents", "created"}

// ExportCSV writes one CSV row per order to w.
func ExportCSV(w io.Writer, orders []order.Order) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, o := range orders {
		row := []string{
			o.ID,
			o.Customer,
			string(o.Status),
			strconv.Itoa(len(o.Items)),
			strconv.FormatInt(o.Total(), 10),
			o.Created.UTC().Format("2006-01-02T15:04:05Z"),
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ExportGzipFile writes orders as gzip-compressed JSON lines.
func ExportGzipFile(path string, orders []order.Order) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(zw)
	for _, o := range orders {
		if err := enc.Encode(o); err != nil {
			return fmt.Errorf("export %s: %w", o.ID, err)
		}
	}
	return nil
}

// ExportJSONFile writes orders as plain JSON lines; every close and flush
// error reaches the caller.
func ExportJSONFile(path string, orders []order.Order) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, o := range orders {
		if err := enc.Encode(o); err != nil {
			return fmt.Errorf("export %s: %w", o.ID, err)
		}
	}
	return bw.Flush()
}

// ExportGzip streams a gzip JSON-lines export to w, closing the compressor
// explicitly so that its error is returned.
func ExportGzip(w io.Writer, orders []order.Order) error {
	zw := gzip.NewWriter(w)
	enc := json.NewEncoder(zw)
	for _, o := range orders {
		if err := enc.Encode(o); err != nil {
			zw.Close()
			return fmt.Errorf("export %s: %w", o.ID, err)
		}
	}
	return zw.Close()
}

// ImportGzipFile reads a file written by ExportGzipFile.
func ImportGzipFile(path string) ([]order.Order, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	return decodeLines(zr)
}

// ImportGzip reads a gzip JSON-lines export from r.
func ImportGzip(r io.Reader) ([]order.Order, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	defer zr.Close()
	return decodeLines(zr)
}

func decodeLines(r io.Reader) ([]order.Order, error) {
	dec := json.NewDecoder(r)
	var out []order.Order
	for {
		var o order.Order
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("import: record %d: %w", len(out)+1, err)
		}
		out = append(out, o)
	}
}
