package convert

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
)

// WriteJSONL writes one JSON document per line to path.
func WriteJSONL[T any](path string, items iter.Seq[T]) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

// EncodeJSONL writes one JSON document per line to w and returns the count.
func EncodeJSONL[T any](w io.Writer, items iter.Seq[T]) (int, error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	n := 0
	for it := range items {
		if err := enc.Encode(it); err != nil {
			return n, err
		}
		n++
	}
	return n, bw.Flush()
}

// ReadJSONL yields the documents of a JSON-lines stream. Blank lines are
// skipped; a malformed line is yielded as an error and reading goes on.
func ReadJSONL[T any](r io.Reader) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		for line := 1; sc.Scan(); line++ {
			b := bytes.TrimSpace(sc.Bytes())
			if len(b) == 0 {
				continue
			}
			var v T
			err := json.Unmarshal(b, &v)
			if err != nil {
				err = fmt.Errorf("line %d: %w", line, err)
			}
			if !yield(v, err) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			var zero T
			yield(zero, err)
		}
	}
}

// ReadJSONLFile is ReadJSONL over a file that is closed when the loop ends.
func ReadJSONLFile[T any](path string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		defer f.Close()
		for v, err := range ReadJSONL[T](f) {
			if !yield(v, err) {
				return
			}
		}
	}
}

// AppendJSONL appends one document to the JSON-lines file at path.
func AppendJSONL(path string, v any) error {
	line, err := json.Marshal(v)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(append(line, '\n')); err != nil {
		return err
	}
	return f.Close()
}

// CountLines counts the non-empty lines of a JSON-lines file.
func CountLines(path string) (int, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			n++
		}
	}
	return n, sc.Err()
}

// SplitJSONL splits src into files of at most perFile documents named
// part-0000.jsonl, part-0001.jsonl, ... in dir, and returns their paths.
func SplitJSONL(src, dir string, perFile int) ([]string, error) {
	in, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	var parts []string
	sc := bufio.NewScanner(in)
	for more := true; more; {
		name := filepath.Join(dir, fmt.Sprintf("part-%04d.jsonl", len(parts)))
		n, err := func() (n int, err error) {
			out, err := os.Create(name)
			if err != nil {
				return 0, err
			}
			defer func() { err = errors.Join(err, out.Close()) }()
			bw := bufio.NewWriter(out)
			for n < perFile {
				if more = sc.Scan(); !more {
					break
				}
				bw.Write(sc.Bytes())
				bw.WriteByte('\n')
				n++
			}
			return n, bw.Flush()
		}()
		if err != nil {
			return parts, err
		}
		if n == 0 {
			return parts, os.Remove(name)
		}
		parts = append(parts, name)
	}
	return parts, sc.Err()
}

// JSONLToCSV converts a JSON-lines file of flat objects to CSV with the
// union of all keys as columns, sorted.
func JSONLToCSV(src string, w io.Writer) error {
	var recs []Record
	colset := map[string]bool{}
	for rec, err := range ReadJSONLFile[Record](src) {
		if err != nil {
			return err
		}
		for k := range rec {
			colset[k] = true
		}
		recs = append(recs, rec)
	}
	cols := make([]string, 0, len(colset))
	for k := range colset {
		cols = append(cols, k)
	}
	slices.Sort(cols)
	return WriteTable(w, cols, func(yield func([]string) bool) {
		for _, rec := range recs {
			row := make([]string, len(cols))
			for i, c := range cols {
				row[i] = rec[c]
			}
			if !yield(row) {
				return
			}
		}
	})
}
