// Command replay rebuilds the order books from the journal and writes a
// report of every record it applied, for reconciliation.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"example.com/matching/internal/book"
	"example.com/matching/internal/engine"
	"example.com/matching/internal/journal"
)

var (
	dir        = flag.String("dir", "", "journal directory")
	from       = flag.Uint64("from", 1, "first sequence number to replay")
	reportPath = flag.String("report", "replay-report.txt", "report file")
)

func main() {
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "replay: -dir is required")
		os.Exit(2)
	}
	rep, err := os.Create(*reportPath)
	if err != nil {
		fmt.Fprintf(os.Stderr, "replay: %v\n", err)
		os.Exit(1)
	}
	bw := bufio.NewWriter(rep)
	defer func() {
		if err := bw.Flush(); err != nil {
			fmt.Fprintf(os.Stderr, "replay: flush report: %v\n", err)
		}
		if err := rep.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "replay: close report: %v\n", err)
		}
	}()

	n, err := replayInto(bw, *dir, *from)
	if err != nil {
		fmt.Fprintf(os.Stderr, "replay: %v\n", err)
		os.Exit(1) // HAZ exit-skips-defer
	}
	fmt.Fprintf(bw, "replayed %d records\n", n)
}

// replayInto applies the journal to a fresh engine and reports each record.
func replayInto(w io.Writer, dir string, from uint64) (int, error) {
	eng := engine.New(engine.Config{})
	defer shutdown(eng)
	defer eng.Stats().Print(w) // HAZ defer-call-chain

	ctx := context.Background()
	n := 0
	err := journal.Replay(dir, from, func(r journal.Record) error {
		var o book.Order
		if err := json.Unmarshal(r.Payload, &o); err != nil {
			return fmt.Errorf("seq %d: %w", r.Seq, err)
		}
		if o.Qty == 0 {
			return nil // trade record, not an order
		}
		if err := eng.AddSymbol(o.Symbol); err != nil && !errors.Is(err, engine.ErrSymbolExists) {
			return err
		}
		trades, err := eng.Submit(ctx, &o)
		if err != nil {
			fmt.Fprintf(w, "%d REJECT %d %s: %v\n", r.Seq, o.ID, o.Symbol, err)
			return nil
		}
		fmt.Fprintf(w, "%d ORDER %d %s %s %d@%d trades=%d\n", r.Seq, o.ID, o.Symbol, o.Side, o.Qty, o.Price, len(trades))
		n++
		return nil
	})
	return n, err
}

// shutdown stops the replay engine, bounded by a timeout.
func shutdown(eng *engine.Engine) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := eng.Shutdown(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "replay: %v\n", err)
	}
}
