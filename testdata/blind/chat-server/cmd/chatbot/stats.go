package main

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Recorder aggregates counters and a log2 latency histogram without locks,
// so it is safe to read while bots are still writing.
type Recorder struct {
	sent     atomic.Uint64
	replies  atomic.Uint64
	sessions atomic.Uint64
	failures atomic.Uint64
	buckets  [32]atomic.Uint64 // bucket i: latency in [2^(i-1), 2^i) ms
}

// Sent counts one message sent.
func (r *Recorder) Sent() { r.sent.Add(1) }

// Reply counts one line received and records its latency if it is one of
// our own timestamped messages.
func (r *Recorder) Reply(line string) {
	r.replies.Add(1)
	if d, ok := parseLatency(line, time.Now()); ok {
		ms := uint64(d / time.Millisecond)
		i := bits.Len64(ms)
		if i >= len(r.buckets) {
			i = len(r.buckets) - 1
		}
		r.buckets[i].Add(1)
	}
}

// Session counts one finished session.
func (r *Recorder) Session(err error) {
	r.sessions.Add(1)
	if err != nil {
		r.failures.Add(1)
	}
}

type summary struct {
	Sent, Replies, Sessions, Failures uint64
	P50, P99                          time.Duration
}

func (s summary) String() string {
	return fmt.Sprintf("sent=%d replies=%d sessions=%d failures=%d p50<=%v p99<=%v",
		s.Sent, s.Replies, s.Sessions, s.Failures, s.P50, s.P99)
}

// Summary returns the current totals and latency percentiles (upper bounds).
func (r *Recorder) Summary() summary {
	s := summary{
		Sent:     r.sent.Load(),
		Replies:  r.replies.Load(),
		Sessions: r.sessions.Load(),
		Failures: r.failures.Load(),
	}
	var counts [32]uint64
	var total uint64
	for i := range r.buckets {
		counts[i] = r.buckets[i].Load()
		total += counts[i]
	}
	var seen uint64
	for i, c := range counts {
		seen += c
		bound := time.Duration(uint64(1)<<i) * time.Millisecond
		if s.P50 == 0 && total > 0 && seen*2 >= total {
			s.P50 = bound
		}
		if s.P99 == 0 && total > 0 && seen*100 >= total*99 {
			s.P99 = bound
		}
	}
	return s
}

// parseLatency extracts the send timestamp a bot embedded at the end of its
// own message: "MSG #room botN <millis> botN says <seq> <unix-nanos>".
func parseLatency(line string, now time.Time) (d time.Duration, ok bool) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	fields := strings.Fields(line)
	if fields[0] != "MSG" || fields[5] != "says" {
		return 0, false
	}
	ns, err := strconv.ParseInt(fields[len(fields)-1], 10, 64)
	if err != nil {
		return 0, false
	}
	return now.Sub(time.Unix(0, ns)), true
}

// writeReport writes the final summary for CI to pick up.
func writeReport(path string, s summary, server map[string]any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := fmt.Fprintln(f, s); err != nil {
		return err
	}
	for k, v := range server {
		if _, err := fmt.Fprintf(f, "server.%s=%v\n", k, v); err != nil {
			return err
		}
	}
	return nil
}

// fetchStats reads chatd's admin stats.
func fetchStats(url string) (map[string]any, error) {
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("stats: %s", resp.Status)
	}
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}
