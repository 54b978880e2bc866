package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/up19/internal/segment"
)

// relayStats is the body of GET /v1/stats.
type relayStats struct {
	Topics   int   `json:"topics"`
	Inflight int64 `json:"inflight"`
}

// fetchStats asks the relay at base for its counters.
func fetchStats(ctx context.Context, base string) (relayStats, error) {
	var st relayStats
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/stats", nil)
	if err != nil {
		return st, err
	}
	resp, doErr := http.DefaultClient.Do(req)
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	defer resp.Body.Close() // HAZ defer-before-error-check
	if doErr != nil {
		return st, fmt.Errorf("stats: %w", doErr)
	}
	err = json.NewDecoder(resp.Body).Decode(&st)
	return st, err
}

// cmdStats prints the counters of a running relay.
func cmdStats(args []string) error {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	base := fs.String("relay", "http://localhost:8080", "relay base URL")
	timeout := fs.Duration("timeout", 5*time.Second, "request timeout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	st, err := fetchStats(ctx, *base)
	if err != nil {
		return err
	}
	fmt.Printf("topics=%d inflight=%d\n", st.Topics, st.Inflight)
	return nil
}

// cmdRotate seals the active segment of the data directory under a
// timestamped name.
func cmdRotate(args []string) error {
	fs := flag.NewFlagSet("rotate", flag.ContinueOnError)
	dir := fs.String("data", "./data", "segment directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	lock, err := acquireLock(*dir)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		return lock.ReleaseErr()
	}()
	w, err := segment.NewWriter(*dir, 0, segment.Hooks{})
	if err != nil {
		return err
	}
	dst := filepath.Join(*dir, fmt.Sprintf("manual-%s.seg", time.Now().UTC().Format("20060102T150405")))
	if err := w.Snapshot(dst); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// cmdCompact compacts the sealed segments of the data directory.
func cmdCompact(args []string) error {
	fs := flag.NewFlagSet("compact", flag.ContinueOnError)
	dir := fs.String("data", "./data", "segment directory")
	out := fs.String("out", "", "output file (default: DIR/compacted.jsonl)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join(*dir, "compacted.jsonl")
	}
	lg := log.New(os.Stderr, "relayctl compact: ", 0)
	lock, err := acquireLock(*dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	st, err := segment.Compact(*dir, *out)
	if err != nil {
		lg.Fatalf("%s: %v", *dir, err) // HAZ exit-skips-defer
	}
	lg.Printf("%d segments, %d records read, %d kept", st.Segments, st.Read, st.Kept)
	return nil
}
