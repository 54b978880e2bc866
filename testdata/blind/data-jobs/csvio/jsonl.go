package csvio

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// JSONLWriter writes one JSON value per line through a buffer.
type JSONLWriter struct {
	bw  *bufio.Writer
	enc *json.Encoder
	n   int
}

// NewJSONLWriter wraps w; call Flush when done.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &JSONLWriter{bw: bw, enc: enc}
}

// Write encodes v as one line.
func (j *JSONLWriter) Write(v any) error {
	if err := j.enc.Encode(v); err != nil {
		return err
	}
	j.n++
	return nil
}

// Count returns the number of values written.
func (j *JSONLWriter) Count() int { return j.n }

// Flush writes buffered data to the underlying writer.
func (j *JSONLWriter) Flush() error { return j.bw.Flush() }

// JSONLReader decodes one JSON value per non-empty line.
type JSONLReader struct {
	sc   *bufio.Scanner
	line int
}

// NewJSONLReader accepts lines up to 16 MiB.
func NewJSONLReader(r io.Reader) *JSONLReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	return &JSONLReader{sc: sc}
}

// Next decodes the next line into v, or returns io.EOF.
func (j *JSONLReader) Next(v any) error {
	for j.sc.Scan() {
		j.line++
		b := bytes.TrimSpace(j.sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if err := json.Unmarshal(b, v); err != nil {
			return fmt.Errorf("line %d: %w", j.line, err)
		}
		return nil
	}
	if err := j.sc.Err(); err != nil {
		return err
	}
	return io.EOF
}

// WriteJSONLFile writes items to path, one per line.
func WriteJSONLFile(path string, items []any) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := NewJSONLWriter(f)
	for _, it := range items {
		if err := w.Write(it); err != nil {
			return err
		}
	}
	return w.Flush()
}

// ReadJSONLFile calls fn with each raw line of the file at path.
func ReadJSONLFile(path string, fn func(json.RawMessage) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: read-only
	r := NewJSONLReader(f)
	for {
		var raw json.RawMessage
		err := r.Next(&raw)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := fn(raw); err != nil {
			return err
		}
	}
}

// ConvertFile converts a CSV file to JSON lines and returns the record count.
func ConvertFile(src, dst string, t Transform) (n int, err error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return 0, err
	}
	defer out.Close() // ok: the success path closes and checks below
	r, err := NewReader(in)
	if err != nil {
		return 0, err
	}
	w := NewJSONLWriter(out)
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("%s:%d: %w", src, r.Line()+1, err)
		}
		if t != nil {
			if rec, err = t(rec); err != nil {
				return 0, fmt.Errorf("%s:%d: %w", src, r.Line(), err)
			}
			if rec == nil {
				continue
			}
		}
		if err := w.Write(rec); err != nil {
			return 0, err
		}
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	return w.Count(), out.Close()
}
