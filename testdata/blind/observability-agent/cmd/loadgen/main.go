// Command loadgen pushes synthetic batches at an agent's HTTP receiver.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"example.com/obsagent/internal/pdata"
)

func batch(id uint64, n int) pdata.Batch {
	b := pdata.Batch{ID: id, Created: time.Now()}
	for i := 0; i < n; i++ {
		b.Records = append(b.Records, pdata.Record{
			Kind:    pdata.KindMetric,
			Time:    time.Now(),
			Name:    "loadgen_value",
			Service: "svc-" + strconv.Itoa(rand.IntN(8)),
			Value:   rand.Float64() * 100,
		})
	}
	return b
}

func push(ctx context.Context, client *http.Client, url string, b pdata.Batch) error {
	body, err := json.Marshal(b)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}

func run(url string, workers, size int, every time.Duration) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	client := &http.Client{Timeout: 10 * time.Second}

	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		sent   int
		failed int
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ticker := time.NewTicker(every)
			defer ticker.Stop()
			for id := uint64(w) << 32; ; id++ {
				select {
				case <-ctx.Done():
					return
				case <-ticker.C:
				}
				err := push(ctx, client, url, batch(id, size))
				mu.Lock()
				if err != nil {
					failed++
				} else {
					sent++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	log.Printf("loadgen: sent %d batches, %d failed", sent, failed)
	return nil
}

func main() {
	url := flag.String("url", "http://127.0.0.1:4318/v1/metrics", "receiver URL")
	workers := flag.Int("c", 4, "concurrent workers")
	size := flag.Int("n", 100, "records per batch")
	every := flag.Duration("every", 100*time.Millisecond, "interval per worker")
	flag.Parse()
	if *workers < 1 || *size < 1 {
		log.Fatal("loadgen: -c and -n must be positive") // ok: main has no defers
	}
	if err := run(*url, *workers, *size, *every); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}
