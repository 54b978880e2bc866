package trace

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"sync"
)

// FileExporter appends spans as JSON lines to a file.
type FileExporter struct {
	mu   sync.Mutex
	path string
}

// NewFileExporter returns an exporter writing to path.
func NewFileExporter(path string) *FileExporter { return &FileExporter{path: path} }

// Export appends spans; the close error is part of the result.
func (e *FileExporter) Export(_ context.Context, spans []SpanData) (err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f, err := os.OpenFile(e.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return WriteJSONL(f, spans)
}

// WriteJSONL writes spans as JSON lines through a buffer and reports the
// flush error.
func WriteJSONL(w io.Writer, spans []SpanData) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, s := range spans {
		if err := enc.Encode(s); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteRecent dumps the buffered spans, used by the debug endpoint.
func (t *Tracer) WriteRecent(w io.Writer) error {
	spans := t.Recent()
	bw := bufio.NewWriter(w)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(bw)
	for _, s := range spans {
		if err := enc.Encode(s); err != nil {
			return err
		}
	}
	return nil
}

// WriteFile writes a full dump of spans to path.
func WriteFile(path string, spans []SpanData) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := WriteJSONL(f, spans); err != nil {
		return err
	}
	return f.Close()
}

// ReadFile reads a dump written by WriteFile or FileExporter.
func ReadFile(path string) ([]SpanData, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []SpanData
	dec := json.NewDecoder(f)
	for {
		var d SpanData
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, d)
	}
}

// MemoryExporter keeps spans in memory, for tests and the debug page.
type MemoryExporter struct {
	mu    sync.Mutex
	spans []SpanData
}

// Export implements Exporter.
func (m *MemoryExporter) Export(_ context.Context, spans []SpanData) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.spans = append(m.spans, spans...)
	return nil
}

// Spans returns what was exported so far.
func (m *MemoryExporter) Spans() []SpanData {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]SpanData(nil), m.spans...)
}
