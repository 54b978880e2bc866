// Package pdata holds the in-memory representation of telemetry flowing
// through the agent: records (a metric point, a log line or a span) and
// batches of records.
package pdata

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Kind says what a record carries.
type Kind uint8

const (
	KindMetric Kind = iota + 1
	KindLog
	KindSpan
)

func (k Kind) String() string {
	switch k {
	case KindMetric:
		return "metric"
	case KindLog:
		return "log"
	case KindSpan:
		return "span"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind is the inverse of Kind.String.
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(s) {
	case "metric", "metrics":
		return KindMetric, nil
	case "log", "logs":
		return KindLog, nil
	case "span", "spans", "trace", "traces":
		return KindSpan, nil
	}
	return 0, fmt.Errorf("pdata: unknown kind %q", s)
}

// Record is one unit of telemetry.
type Record struct {
	Kind    Kind              `json:"kind"`
	Time    time.Time         `json:"time"`
	Name    string            `json:"name"`
	Service string            `json:"service,omitempty"`
	TraceID string            `json:"trace_id,omitempty"`
	Value   float64           `json:"value,omitempty"`
	Body    string            `json:"body,omitempty"`
	Attrs   map[string]string `json:"attrs,omitempty"`
}

// Clone returns a deep copy of r.
func (r Record) Clone() Record {
	c := r
	if r.Attrs != nil {
		c.Attrs = make(map[string]string, len(r.Attrs))
		for k, v := range r.Attrs {
			c.Attrs[k] = v
		}
	}
	return c
}

// SetAttr sets an attribute, allocating the map on first use.
func (r *Record) SetAttr(k, v string) {
	if r.Attrs == nil {
		r.Attrs = make(map[string]string, 4)
	}
	r.Attrs[k] = v
}

// Batch is a group of records exported together.
type Batch struct {
	ID      uint64    `json:"id"`
	Created time.Time `json:"created"`
	Records []Record  `json:"records"`
}

// Len reports the number of records.
func (b Batch) Len() int { return len(b.Records) }

// Split cuts b into batches of at most n records. IDs are derived from b.ID.
func (b Batch) Split(n int) []Batch {
	if n <= 0 || len(b.Records) <= n {
		return []Batch{b}
	}
	var out []Batch
	for i := 0; i < len(b.Records); i += n {
		end := min(i+n, len(b.Records))
		out = append(out, Batch{
			ID:      b.ID<<8 | uint64(len(out)),
			Created: b.Created,
			Records: b.Records[i:end],
		})
	}
	return out
}

// ErrEmptyLine is returned by ParseLine for blank input.
var ErrEmptyLine = errors.New("pdata: empty line")

// ParseLine parses the line protocol accepted by the TCP receiver:
//
//	name[,k=v,...] value [unix-nanos]
//
// A line that does not start with a metric name is kept as a log body.
func ParseLine(line string, now time.Time) (Record, error) {
	line = strings.TrimSpace(line)
	if line == "" {
		return Record{}, ErrEmptyLine
	}
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return Record{Kind: KindLog, Time: now, Body: line}, nil
	}
	v, err := strconv.ParseFloat(fields[1], 64)
	if err != nil {
		return Record{Kind: KindLog, Time: now, Body: line}, nil
	}
	rec := Record{Kind: KindMetric, Time: now, Value: v}
	head := strings.Split(fields[0], ",")
	rec.Name = head[0]
	for _, kv := range head[1:] {
		k, val, ok := strings.Cut(kv, "=")
		if !ok {
			return Record{}, fmt.Errorf("pdata: bad tag %q", kv)
		}
		rec.SetAttr(k, val)
	}
	if len(fields) > 2 {
		ns, err := strconv.ParseInt(fields[2], 10, 64)
		if err != nil {
			return Record{}, fmt.Errorf("pdata: bad timestamp %q: %w", fields[2], err)
		}
		rec.Time = time.Unix(0, ns)
	}
	return rec, nil
}

// FormatLine renders r in the line protocol; logs are rendered as their body.
func FormatLine(r Record) string {
	if r.Kind != KindMetric {
		return r.Body
	}
	var sb strings.Builder
	sb.WriteString(r.Name)
	keys := make([]string, 0, len(r.Attrs))
	for k := range r.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sb.WriteByte(',')
		sb.WriteString(k)
		sb.WriteByte('=')
		sb.WriteString(r.Attrs[k])
	}
	sb.WriteByte(' ')
	sb.WriteString(strconv.FormatFloat(r.Value, 'g', -1, 64))
	sb.WriteByte(' ')
	sb.WriteString(strconv.FormatInt(r.Time.UnixNano(), 10))
	return sb.String()
}

// DecodeBatch decodes a JSON batch body.
func DecodeBatch(data []byte) (Batch, error) {
	var b Batch
	if err := json.Unmarshal(data, &b); err != nil {
		return Batch{}, fmt.Errorf("pdata: decode batch: %w", err)
	}
	return b, nil
}
