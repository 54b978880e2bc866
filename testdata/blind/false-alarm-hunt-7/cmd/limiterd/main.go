// Command limiterd is a small rate-limiting reverse gate that writes a
// buffered access log.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	"example.com/falsealarm7/httpx"
	"example.com/falsealarm7/ratelimit"
)

type accessLog struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (a *accessLog) record(r *http.Request, allowed bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	fmt.Fprintf(a.w, "%s %s %s %v\n", time.Now().Format(time.RFC3339), httpx.ClientIP(r), r.URL.Path, allowed)
}

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	logPath := flag.String("log", "access.log", "access log path")
	rate := flag.Float64("rate", 10, "requests per second per client")
	flag.Parse()

	f, err := os.OpenFile(*logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		log.Fatalf("limiterd: %v", err)
	}
	alog := &accessLog{w: bufio.NewWriterSize(f, 64<<10)}
	defer func() {
		if err := errors.Join(alog.w.Flush(), f.Close()); err != nil {
			log.Printf("limiterd: closing access log: %v", err)
		}
	}()

	limiter := ratelimit.NewKeyed(*rate, int(*rate)*2, 10*time.Minute)
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		ok := limiter.Allow(httpx.ClientIP(r))
		alog.record(r, ok)
		if !ok {
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("limiterd: %v", err)
	}
}
