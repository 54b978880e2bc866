// Command loadgen pushes synthetic metric batches to an httpjson receiver
// and reports throughput.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"example.com/otelcol/internal/pdata"
)

func main() {
	os.Exit(run())
}

func run() int {
	target := flag.String("target", "http://127.0.0.1:4318/v1/metrics", "receiver URL")
	workers := flag.Int("workers", 4, "concurrent senders")
	batchSize := flag.Int("batch", 100, "records per batch")
	duration := flag.Duration("duration", 10*time.Second, "how long to run")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile here")
	flag.Parse()

	stopProfile := func() {}
	defer stopProfile() // HAZ defer-eager-evaluation
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			return 1
		}
		stopProfile = stop
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()

	start := time.Now()
	sent, failed := runWorkers(ctx, *workers, func(ctx context.Context, id int) error {
		return send(ctx, *target, genBatch(id, *batchSize))
	})
	elapsed := time.Since(start)
	fmt.Printf("sent %d batches (%d failed) in %s: %.0f records/s\n",
		sent, failed, elapsed.Round(time.Millisecond), float64(sent)*float64(*batchSize)/elapsed.Seconds())
	if failed > 0 {
		return 1
	}
	return 0
}

func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen: cpu profile:", err)
		}
	}, nil
}

// runWorkers calls fn in n goroutines until ctx ends.
func runWorkers(ctx context.Context, n int, fn func(ctx context.Context, id int) error) (sent, failed int64) {
	var okCount, errCount atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		id := i
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if err := fn(ctx, id); err != nil {
					if ctx.Err() == nil {
						errCount.Add(1)
					}
					continue
				}
				okCount.Add(1)
			}
		}()
	}
	wg.Wait()
	return okCount.Load(), errCount.Load()
}

var rngMu sync.Mutex
var rng = rand.New(rand.NewSource(time.Now().UnixNano()))

func randFloat() float64 {
	rngMu.Lock()
	defer rngMu.Unlock()
	return rng.Float64()
}

func genBatch(worker, n int) pdata.Batch {
	b := pdata.Batch{Source: "loadgen-" + strconv.Itoa(worker)}
	now := time.Now()
	for i := 0; i < n; i++ {
		b.Append(pdata.Record{
			Time:  now,
			Kind:  pdata.KindMetric,
			Name:  "loadgen.value",
			Value: randFloat() * 100,
			Attrs: map[string]string{"worker": strconv.Itoa(worker), "seq": strconv.Itoa(i)},
		})
	}
	return b
}

func send(ctx context.Context, url string, b pdata.Batch) error {
	body, err := json.Marshal(b)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}
