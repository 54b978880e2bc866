package extract

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"example.com/etl/internal/record"
)

// DecodeJSONLines calls fn for each JSON object in r, one object per line.
// Blank lines are skipped.
func DecodeJSONLines(r io.Reader, fn func(record.Record) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var raw map[string]any
		if err := json.Unmarshal(b, &raw); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		rec := make(record.Record, len(raw))
		for k, v := range raw {
			rec[k] = stringify(v)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return sc.Err()
}

func stringify(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// ReadJSONL reads a .jsonl file, or a .jsonl.gz file.
func ReadJSONL(path string) ([]record.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		defer zr.Close() // HAZ defer-before-error-check
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		r = zr
	}
	var out []record.Record
	err = DecodeJSONLines(r, func(rec record.Record) error {
		out = append(out, rec)
		return nil
	})
	return out, err
}

type gzipFile struct {
	*gzip.Reader
	f *os.File
}

func (g gzipFile) Close() error {
	return errors.Join(g.Reader.Close(), g.f.Close())
}

// OpenJSONL opens path for streaming, transparently decompressing .gz.
// The caller closes the result.
func OpenJSONL(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return gzipFile{Reader: zr, f: f}, nil
}

// ReadCurrent reads the spool file that is being filled today, falling back
// to yesterday's rotated copy while the current one is still empty.
func ReadCurrent(dir string) ([]record.Record, error) {
	path := filepath.Join(dir, "current.jsonl")
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() == 0 {
		path = filepath.Join(dir, "previous.jsonl")
		f, err = os.Open(path)
		if err != nil {
			return nil, err
		}
	}
	var out []record.Record
	err = DecodeJSONLines(f, func(rec record.Record) error {
		out = append(out, rec)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}
