// Package pdata holds the in-memory telemetry model passed between pipeline
// components.
package pdata

import (
	"hash/fnv"
	"maps"
)

// Span is one timed operation of a trace.
type Span struct {
	TraceID    string            `json:"trace_id"`
	SpanID     string            `json:"span_id"`
	ParentID   string            `json:"parent_id,omitempty"`
	Name       string            `json:"name"`
	StartNanos int64             `json:"start_unix_nano"`
	EndNanos   int64             `json:"end_unix_nano"`
	Attributes map[string]string `json:"attributes,omitempty"`
	Status     string            `json:"status,omitempty"`
}

// LogRecord is one structured log line.
type LogRecord struct {
	TimeNanos  int64             `json:"time_unix_nano"`
	Severity   string            `json:"severity"`
	Body       string            `json:"body"`
	TraceID    string            `json:"trace_id,omitempty"`
	Attributes map[string]string `json:"attributes,omitempty"`
}

// Batch is a group of spans sharing one resource.
type Batch struct {
	Resource map[string]string `json:"resource,omitempty"`
	Spans    []Span            `json:"spans"`
}

// Len returns the number of spans in the batch.
func (b Batch) Len() int { return len(b.Spans) }

// Append moves the spans of o into b. Resource attributes are merged and the
// attributes already in b win.
func (b *Batch) Append(o Batch) {
	if b.Resource == nil && len(o.Resource) > 0 {
		b.Resource = make(map[string]string, len(o.Resource))
	}
	for k, v := range o.Resource {
		if _, ok := b.Resource[k]; !ok {
			b.Resource[k] = v
		}
	}
	b.Spans = append(b.Spans, o.Spans...)
}

// Split cuts b into batches of at most limit spans; limit <= 0 means no limit.
func (b Batch) Split(limit int) []Batch {
	if limit <= 0 || len(b.Spans) <= limit {
		return []Batch{b}
	}
	out := make([]Batch, 0, (len(b.Spans)+limit-1)/limit)
	for start := 0; start < len(b.Spans); start += limit {
		end := min(start+limit, len(b.Spans))
		out = append(out, Batch{Resource: b.Resource, Spans: b.Spans[start:end:end]})
	}
	return out
}

// Clone returns a deep copy that a consumer may mutate freely.
func (b Batch) Clone() Batch {
	c := Batch{Resource: maps.Clone(b.Resource), Spans: make([]Span, len(b.Spans))}
	for i, s := range b.Spans {
		s.Attributes = maps.Clone(s.Attributes)
		c.Spans[i] = s
	}
	return c
}

// ShardOf maps a trace ID onto one of n shards, so that all spans of a trace
// land on the same backend.
func ShardOf(traceID string, n int) int {
	if n <= 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(traceID))
	return int(h.Sum32() % uint32(n))
}
