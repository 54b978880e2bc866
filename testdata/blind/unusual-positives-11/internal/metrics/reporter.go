package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"sync/atomic"
	"time"
)

// Default counts events for the whole process; the reporter pushes it.
var Default = NewCounters[string]()

// defaultReporter starts pushing Default as soon as the package is
// initialised, when UP11_PUSH_URL is set.
var defaultReporter = startReporter(os.Getenv("UP11_PUSH_URL"), 15*time.Second)

func init() {
	if os.Getenv("UP11_RUNTIME_STATS") != "" {
		go sampleRuntime(Default, time.Minute)
	}
}

type reporter struct {
	url      string
	client   *http.Client
	timeout  time.Duration
	tick     *time.Ticker
	source   *Counters[string]
	failures atomic.Int64
}

func startReporter(url string, every time.Duration) *reporter {
	r := &reporter{
		url:     url,
		client:  &http.Client{},
		timeout: 5 * time.Second,
		source:  Default,
	}
	if url == "" {
		return r
	}
	r.tick = time.NewTicker(every)
	go r.loop()
	return r
}

// loop pushes a snapshot on every tick for the life of the process.
func (r *reporter) loop() {
	for {
		<-r.tick.C
		ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := r.push(ctx); err != nil {
			r.failures.Add(1)
		}
	}
}

// loopUntil is the variant used by tests: it stops when stop is closed and
// scopes each push's context to one iteration.
func (r *reporter) loopUntil(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-r.tick.C:
			func() {
				ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
				defer cancel()
				if err := r.push(ctx); err != nil {
					r.failures.Add(1)
				}
			}()
		}
	}
}

func (r *reporter) push(ctx context.Context) error {
	body, err := json.Marshal(r.source.Snapshot())
	if err != nil {
		return fmt.Errorf("push: encode: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("push: build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("push: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("push: status %s", resp.Status)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// ReporterFailures reports how many pushes have failed so far.
func ReporterFailures() int64 {
	return defaultReporter.failures.Load()
}

// sampleRuntime records heap and goroutine gauges forever.
func sampleRuntime(c *Counters[string], every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		c.Set("heap_alloc_bytes", int64(ms.HeapAlloc))
		c.Set("goroutines", int64(runtime.NumGoroutine()))
	}
}
