package grep

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// WriteText writes matches as file:line:text lines.
func WriteText(w io.Writer, ms []Match, withName bool) error {
	for _, m := range ms {
		var err error
		if withName {
			_, err = fmt.Fprintln(w, m)
		} else {
			_, err = fmt.Fprintln(w, m.Text)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// WriteGzip compresses matches into w. The caller owns w.
func WriteGzip(w io.Writer, ms []Match) error {
	zw := gzip.NewWriter(w)
	if err := WriteText(zw, ms, true); err != nil {
		zw.Close()
		return err
	}
	return zw.Close() // ok: no defer, the close error is returned
}

// ExportGzip writes matches to path as gzip-compressed lines.
func ExportGzip(path string, ms []Match) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err := WriteText(zw, ms, true); err != nil {
		return err
	}
	return zw.Flush()
}

// ExportJSON writes matches to path as JSON lines. The file's close error
// is folded into the result; the deferred close is registered first, so it
// runs after everything written into the file.
func ExportJSON(path string, ms []Match) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr // ok: named result
		}
	}()
	enc := json.NewEncoder(f)
	for _, m := range ms {
		if err := enc.Encode(m); err != nil {
			return err
		}
	}
	return nil
}

// ExportGzipJSON writes JSON lines compressed. The gzip writer is closed
// explicitly before the deferred file close runs.
func ExportGzipJSON(path string, ms []Match) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(f)
	defer zw.Close() // ok: registered after the file's close, and closed and checked below
	enc := json.NewEncoder(zw)
	for _, m := range ms {
		if err := enc.Encode(m); err != nil {
			return err
		}
	}
	return zw.Close()
}
