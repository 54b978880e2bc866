package main

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"example.com/fah30/pdata"
)

// readAllBatches decodes every batch of src: "-" for stdin, a .gz file, or
// a plain file.
func readAllBatches(src string) ([]pdata.Batch, error) {
	var r io.Reader
	var closeSrc func()
	switch {
	case src == "-":
		r = os.Stdin
	case strings.HasSuffix(src, ".gz"):
		f, err := os.Open(src)
		if err != nil {
			return nil, err
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, errors.Join(err, f.Close())
		}
		r = zr
		closeSrc = func() {
			zr.Close()
			f.Close()
		}
	default:
		f, err := os.Open(src)
		if err != nil {
			return nil, err
		}
		r = f
		closeSrc = func() { f.Close() }
	}
	defer closeSrc() // HAZ defer-nil-func

	var out []pdata.Batch
	dec := json.NewDecoder(r)
	for {
		var b pdata.Batch
		if err := dec.Decode(&b); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return out, err
		}
		out = append(out, b)
	}
}

// countSpans reports batches and spans per source without sending anything.
func countSpans(srcs []string, w io.Writer) error {
	for _, src := range srcs {
		batches, err := readAllBatches(src)
		if err != nil {
			return err
		}
		n := 0
		for _, b := range batches {
			n += b.Len()
		}
		if _, err := fmt.Fprintf(w, "%s: %d batches, %d spans\n", src, len(batches), n); err != nil {
			return err
		}
	}
	return nil
}
