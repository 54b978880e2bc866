// Command loadgen creates orders against a running orderd and records the
// latency of every request in a CSV report.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// die reports a fatal error and exits.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadgen: "+format+"\n", args...)
	os.Exit(1)
}

type sample struct {
	seq    int
	status int
	took   time.Duration
	err    error
}

type report struct {
	f *os.File
	w *csv.Writer
}

func openReport(path string) (*report, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	w := csv.NewWriter(f)
	if err := w.Write([]string{"seq", "status", "millis", "error"}); err != nil {
		f.Close()
		return nil, err
	}
	return &report{f: f, w: w}, nil
}

func (r *report) Add(s sample) {
	errText := ""
	if s.err != nil {
		errText = s.err.Error()
	}
	r.w.Write([]string{strconv.Itoa(s.seq), strconv.Itoa(s.status), strconv.FormatInt(s.took.Milliseconds(), 10), errText})
}

func (r *report) Close() error {
	r.w.Flush()
	if err := r.w.Error(); err != nil {
		r.f.Close()
		return err
	}
	return r.f.Close()
}

func hit(client *http.Client, baseURL string, seq int) sample {
	start := time.Now()
	body := fmt.Sprintf(`{"customer":"load-%d","items":[{"sku":"load","qty":1,"price_cents":100}]}`, seq)
	resp, err := client.Post(baseURL+"/orders", "application/json", strings.NewReader(body))
	if err != nil {
		return sample{seq: seq, err: err, took: time.Since(start)}
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return sample{seq: seq, status: resp.StatusCode, took: time.Since(start)}
}

func run(args []string) int {
	fl := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	baseURL := fl.String("url", "http://127.0.0.1:8080", "orderd base URL")
	n := fl.Int("n", 100, "number of orders to create")
	out := fl.String("out", "loadgen.csv", "CSV report")
	maxFail := fl.Int("max-fail", 0, "failures tolerated before exiting non-zero")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *n <= 0 {
		die("-n must be positive, got %d", *n)
	}
	rep, err := openReport(*out)
	if err != nil {
		die("%v", err)
	}
	defer func() {
		if err := rep.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen: report:", err)
		}
	}()

	client := &http.Client{Timeout: 5 * time.Second}
	results := make(chan sample, *n)
	var wg sync.WaitGroup
	for i := 0; i < *n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- hit(client, *baseURL, i)
		}()
	}
	wg.Wait()
	close(results)

	failed := 0
	var total time.Duration
	for s := range results {
		rep.Add(s)
		total += s.took
		if s.err != nil || s.status >= 400 {
			failed++
		}
	}
	fmt.Printf("%d requests, %d failed, mean latency %s\n", *n, failed, total/time.Duration(*n))
	if failed > *maxFail {
		die("%d of %d requests failed (max %d)", failed, *n, *maxFail) // HAZ exit-skips-defer
	}
	return 0
}
