package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"example.com/auction/internal/auction"
)

// resultsFile reads the JSON-lines results file written by auctiond.
type resultsFile string

// ClosedLots returns the results whose lot closed on day (UTC).
func (p resultsFile) ClosedLots(ctx context.Context, day time.Time) ([]auction.Result, error) {
	f, err := os.Open(string(p))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []auction.Result
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// each line is "<timestamp> <json>"
		_, js, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		var r auction.Result
		if err := json.Unmarshal([]byte(js), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", p, line, err)
		}
		if r.ClosedAt.UTC().Format("2006-01-02") == day.Format("2006-01-02") {
			out = append(out, r)
		}
	}
	return out, sc.Err()
}

// ledgerOnly is the Payments used before the bank integration is live:
// it only logs the movements.
type ledgerOnly struct {
	log *log.Logger
}

func (l ledgerOnly) Charge(_ context.Context, bidder string, cents int64) error {
	l.log.Printf("charge %s %d", bidder, cents)
	return nil
}

func (l ledgerOnly) Refund(_ context.Context, bidder string, cents int64) error {
	l.log.Printf("refund %s %d", bidder, cents)
	return nil
}

// logProgress reports task start and end on the log.
type logProgress struct{}

func (logProgress) Begin(task string) func() {
	start := time.Now()
	log.Printf("%s: started", task)
	return func() { log.Printf("%s: done in %s", task, time.Since(start).Round(time.Millisecond)) }
}
