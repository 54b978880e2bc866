package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// ReadJSONL calls fn for every document of a JSON-lines file; files ending
// in .gz are decompressed.
func ReadJSONL(path string, fn func(RawDoc) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	return decodeLines(r, fn)
}

func decodeLines(r io.Reader, fn func(RawDoc) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 8<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var d RawDoc
		if err := json.Unmarshal(b, &d); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return sc.Err()
}

// ReadFiles reads the files one after another.
func ReadFiles(paths []string, fn func(RawDoc) error) error {
	for _, p := range paths {
		if err := ReadJSONL(p, fn); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}

// ReadRotated reads a spool file and then its rotated predecessor, if any.
func ReadRotated(path string, fn func(RawDoc) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	if err := decodeLines(f, fn); err != nil {
		return err
	}
	f, err = os.Open(path + ".1")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	return decodeLines(f, fn)
}

// CountLines returns the number of non-empty lines of a spool file, for
// progress reporting.
func CountLines(path string) (int, error) {
	f, err := os.Open(path)
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
