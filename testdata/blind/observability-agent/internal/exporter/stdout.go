package exporter

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"sync"

	"example.com/obsagent/internal/pdata"
)

// StdoutExporter prints records, one per line. Used for debugging and by
// the tailcat tool.
type StdoutExporter struct {
	mu    sync.Mutex
	w     io.Writer
	lines chan string
}

// NewStdoutExporter returns an exporter writing to os.Stdout (w == nil) or w.
func NewStdoutExporter(w io.Writer) *StdoutExporter {
	if w == nil {
		w = os.Stdout
	}
	return &StdoutExporter{w: w, lines: make(chan string, 256)}
}

// Name implements lifecycle.Component.
func (s *StdoutExporter) Name() string { return "exporter/stdout" }

// Export implements Exporter.
func (s *StdoutExporter) Export(_ context.Context, b pdata.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	bw := bufio.NewWriter(s.w)
	for _, r := range b.Records {
		if _, err := fmt.Fprintf(bw, "%s\t%s\t%s\n", r.Time.Format("15:04:05.000"), r.Kind, pdata.FormatLine(r)); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Printf queues a free-form line for the background printer.
func (s *StdoutExporter) Printf(format string, args ...any) {
	select {
	case s.lines <- fmt.Sprintf(format, args...):
	default: // drop rather than stall the pipeline
	}
}

// drain prints queued lines; it runs in its own goroutine.
func (s *StdoutExporter) drain() {
	for line := range s.lines {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-infinite-loop
		fmt.Fprintln(s.w, line)
	}
}

// drainLocked prints queued lines until ctx ends, locking per line.
func (s *StdoutExporter) drainLocked(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case line := <-s.lines:
			s.printLine(line)
		}
	}
}

func (s *StdoutExporter) printLine(line string) {
	s.mu.Lock()
	defer s.mu.Unlock() // ok: one line per call
	fmt.Fprintln(s.w, line)
}

// StartPrinter starts the background printer.
func (s *StdoutExporter) StartPrinter(ctx context.Context, legacy bool) {
	if legacy {
		go s.drain()
		return
	}
	go s.drainLocked(ctx)
}
