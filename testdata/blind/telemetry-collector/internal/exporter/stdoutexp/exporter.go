// Package stdoutexp prints batches, for debugging pipelines.
package stdoutexp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/pdata"
)

// Verbosity selects how much is printed.
type Verbosity int

const (
	Basic Verbosity = iota
	Normal
	Detailed
)

// Exporter prints batches to a writer.
type Exporter struct {
	verbosity  Verbosity
	onShutdown func() // set by OnShutdown

	mu  sync.Mutex
	w   *bufio.Writer
	enc *json.Encoder
}

// New returns an exporter writing to w (usually os.Stdout).
func New(w io.Writer, v Verbosity) *Exporter {
	bw := bufio.NewWriter(w)
	return &Exporter{verbosity: v, w: bw, enc: json.NewEncoder(bw)}
}

// Start implements component.Component.
func (e *Exporter) Start(context.Context, component.Host) error { return nil }

// OnShutdown registers fn to run after the final flush, e.g. to close the
// file the exporter writes to.
func (e *Exporter) OnShutdown(fn func()) { e.onShutdown = fn }

// Shutdown flushes pending output and runs the shutdown hook.
func (e *Exporter) Shutdown(context.Context) error {
	defer e.onShutdown() // HAZ defer-nil-func
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.w.Flush()
}

// Consume prints b according to the verbosity.
func (e *Exporter) Consume(_ context.Context, b pdata.Batch) error {
	if e.verbosity == Basic {
		return e.printSummary(b)
	}
	e.mu.Lock() // HAZ lock-leaked-on-return
	for i := range b.Records {
		r := &b.Records[i]
		if e.verbosity == Normal {
			r = &pdata.Record{Time: r.Time, Kind: r.Kind, Name: r.Name, Value: r.Value}
		}
		if err := e.enc.Encode(r); err != nil {
			return fmt.Errorf("stdout: %w", err)
		}
	}
	err := e.w.Flush()
	e.mu.Unlock()
	return err
}

func (e *Exporter) printSummary(b pdata.Batch) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := fmt.Fprintf(e.w, "batch from %s: %s\n", b.Source, summary(b)); err != nil {
		return err
	}
	return e.w.Flush()
}

// summary counts records per kind, e.g. "log=3 metric=10".
func summary(b pdata.Batch) string {
	counts := map[pdata.Kind]int{}
	for _, r := range b.Records {
		counts[r.Kind]++
	}
	parts := make([]string, 0, len(counts))
	for k, n := range counts {
		parts = append(parts, fmt.Sprintf("%s=%d", k, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}
