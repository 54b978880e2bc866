// Command healthcheck is the container health probe: it exits 0 when the
// URL answers 2xx within the timeout.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:9080/healthz", "health URL")
	timeout := flag.Duration("timeout", 2*time.Second, "overall timeout")
	flag.Parse()
	if *timeout <= 0 {
		fmt.Fprintln(os.Stderr, "healthcheck: -timeout must be positive")
		os.Exit(2)
	}
	os.Exit(check(*url, *timeout))
}

// check returns the process exit code; its defers run before main exits.
func check(url string, timeout time.Duration) int {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "healthcheck:", err)
		return 2
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "healthcheck:", err)
		return 1
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<12))
	if resp.StatusCode/100 != 2 {
		fmt.Fprintf(os.Stderr, "healthcheck: %s answered %d\n", url, resp.StatusCode)
		return 1
	}
	return 0
}
