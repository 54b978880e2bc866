// Package pdata holds the in-memory telemetry model that flows through the
// pipeline: records (metrics, logs and spans flattened to one shape) and
// batches of records.
package pdata

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Kind tells what a record carries.
type Kind string

const (
	KindMetric Kind = "metric"
	KindLog    Kind = "log"
	KindSpan   Kind = "span"
)

// Record is one telemetry item.
type Record struct {
	Time    time.Time         `json:"time"`
	Kind    Kind              `json:"kind"`
	Name    string            `json:"name"`
	Value   float64           `json:"value,omitempty"`
	Body    string            `json:"body,omitempty"`
	TraceID string            `json:"trace_id,omitempty"`
	Attrs   map[string]string `json:"attrs,omitempty"`
}

// Batch is a group of records that travel together.
type Batch struct {
	Source  string   `json:"source,omitempty"`
	Records []Record `json:"records"`
}

// ErrEmptyLine is returned by ParseLine for blank lines and comments.
var ErrEmptyLine = errors.New("pdata: empty line")

// Len returns the number of records.
func (b Batch) Len() int { return len(b.Records) }

// Append adds records to the batch.
func (b *Batch) Append(rs ...Record) {
	b.Records = append(b.Records, rs...)
}

// Clone returns a deep copy so that concurrent consumers can mutate
// attributes without racing each other.
func (b Batch) Clone() Batch {
	out := Batch{Source: b.Source, Records: make([]Record, len(b.Records))}
	for i, r := range b.Records {
		r.Attrs = cloneAttrs(r.Attrs)
		out.Records[i] = r
	}
	return out
}

func cloneAttrs(in map[string]string) map[string]string {
	if in == nil {
		return nil
	}
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}

// DecodeJSON reads a JSON batch of at most max bytes.
func DecodeJSON(r io.Reader, max int64) (Batch, error) {
	var b Batch
	dec := json.NewDecoder(io.LimitReader(r, max))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return Batch{}, fmt.Errorf("pdata: decode batch: %w", err)
	}
	now := time.Now()
	for i := range b.Records {
		if b.Records[i].Time.IsZero() {
			b.Records[i].Time = now
		}
		if b.Records[i].Kind == "" {
			b.Records[i].Kind = KindMetric
		}
	}
	return b, nil
}

// ParseLine parses the line protocol used by the TCP receiver:
//
//	name value [key=value ...]
func ParseLine(line string) (Record, error) {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return Record{}, ErrEmptyLine
	}
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return Record{}, fmt.Errorf("pdata: want at least name and value, got %q", line)
	}
	v, err := strconv.ParseFloat(fields[1], 64)
	if err != nil {
		return Record{}, fmt.Errorf("pdata: bad value in %q: %w", line, err)
	}
	rec := Record{Time: time.Now(), Kind: KindMetric, Name: fields[0], Value: v}
	for _, kv := range fields[2:] {
		k, val, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return Record{}, fmt.Errorf("pdata: bad attribute %q", kv)
		}
		if rec.Attrs == nil {
			rec.Attrs = make(map[string]string, len(fields)-2)
		}
		rec.Attrs[k] = val
	}
	return rec, nil
}

// EncodeJSONL writes one JSON object per line.
func EncodeJSONL(w io.Writer, b Batch) error {
	enc := json.NewEncoder(w)
	for i := range b.Records {
		if err := enc.Encode(&b.Records[i]); err != nil {
			return fmt.Errorf("pdata: encode record %d: %w", i, err)
		}
	}
	return nil
}

// Split cuts a batch into at most n batches of roughly equal size.
func Split(b Batch, n int) []Batch {
	if n <= 1 || len(b.Records) <= 1 {
		return []Batch{b}
	}
	n = min(n, len(b.Records))
	size := (len(b.Records) + n - 1) / n
	out := make([]Batch, 0, n)
	for start := 0; start < len(b.Records); start += size {
		end := min(start+size, len(b.Records))
		out = append(out, Batch{Source: b.Source, Records: b.Records[start:end]})
	}
	return out
}
