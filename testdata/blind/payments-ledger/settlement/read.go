package settlement

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// BatchReader reads rows from a plain or gzipped settlement file.
type BatchReader struct {
	f    *os.File
	zr   *gzip.Reader
	r    *csv.Reader
	line int
}

// OpenBatch opens path and checks its header.
func OpenBatch(path string) (*BatchReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := &BatchReader{f: f, line: 1}
	var src io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("settlement: %s: %w", path, err)
		}
		br.zr = zr
		src = zr
	}
	br.r = csv.NewReader(src)
	br.r.FieldsPerRecord = len(header)
	hdr, err := br.r.Read()
	if err != nil {
		br.Close()
		return nil, fmt.Errorf("settlement: %s: header: %w", path, err)
	}
	if !slices.Equal(hdr, header) {
		br.Close()
		return nil, fmt.Errorf("settlement: %s: unexpected header %v", path, hdr)
	}
	return br, nil
}

// Next returns the next row, or io.EOF.
func (br *BatchReader) Next() (Row, error) {
	rec, err := br.r.Read()
	if err != nil {
		return Row{}, err
	}
	br.line++
	row, err := parseRow(rec)
	if err != nil {
		return Row{}, fmt.Errorf("line %d: %w", br.line, err)
	}
	return row, nil
}

// Close releases the file.
func (br *BatchReader) Close() error {
	var zerr error
	if br.zr != nil {
		zerr = br.zr.Close()
	}
	return errors.Join(zerr, br.f.Close())
}

// ReadBatch loads a whole settlement file.
func ReadBatch(path string) (*Batch, error) {
	br, err := OpenBatch(path)
	if err != nil {
		return nil, err
	}
	defer br.Close()
	name := filepath.Base(path)
	b := &Batch{ID: strings.TrimSuffix(strings.TrimSuffix(name, ".gz"), ".csv")}
	for {
		row, err := br.Next()
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return nil, fmt.Errorf("settlement: %s: %w", path, err)
		}
		b.Rows = append(b.Rows, row)
	}
}

// CountRows counts the rows of a settlement file without keeping them.
func CountRows(path string) (int, error) {
	br, err := OpenBatch(path)
	defer br.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		_, err := br.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

// ReadManifest parses a manifest written by WriteManifest.
func ReadManifest(path string) ([]ManifestEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []ManifestEntry
	sc := bufio.NewScanner(f)
	for lineNo := 1; sc.Scan(); lineNo++ {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 {
			return nil, fmt.Errorf("settlement: %s:%d: want 3 fields", path, lineNo)
		}
		rows, err := strconv.Atoi(fields[2])
		if err != nil {
			return nil, fmt.Errorf("settlement: %s:%d: %w", path, lineNo, err)
		}
		out = append(out, ManifestEntry{SHA256: fields[0], Name: fields[1], Rows: rows})
	}
	return out, sc.Err()
}
