package engine

import (
	"fmt"
	"io"
	"os"
)

// Stats is a point-in-time copy of the engine counters.
type Stats struct {
	Orders   int64
	Trades   int64
	Cancels  int64
	Rejects  int64
	Symbols  int
	InFlight int64
}

// Stats copies the counters as they are now.
func (e *Engine) Stats() Stats {
	e.mu.RLock()
	n := len(e.books)
	e.mu.RUnlock()
	return Stats{
		Orders:   e.stats.orders.Load(),
		Trades:   e.stats.trades.Load(),
		Cancels:  e.stats.cancels.Load(),
		Rejects:  e.stats.rejects.Load(),
		Symbols:  n,
		InFlight: e.inflight.Value(),
	}
}

// Print writes the stats as aligned text.
func (s Stats) Print(w io.Writer) {
	fmt.Fprintf(w, "symbols  %8d\n", s.Symbols)
	fmt.Fprintf(w, "orders   %8d\n", s.Orders)
	fmt.Fprintf(w, "trades   %8d\n", s.Trades)
	fmt.Fprintf(w, "cancels  %8d\n", s.Cancels)
	fmt.Fprintf(w, "rejects  %8d\n", s.Rejects)
	fmt.Fprintf(w, "inflight %8d\n", s.InFlight)
}

// String renders the stats on one line.
func (s Stats) String() string {
	return fmt.Sprintf("symbols=%d orders=%d trades=%d cancels=%d rejects=%d",
		s.Symbols, s.Orders, s.Trades, s.Cancels, s.Rejects)
}

// WriteFile writes the stats to path for the end-of-day report.
func (s Stats) WriteFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	s.Print(f)
	return nil
}
