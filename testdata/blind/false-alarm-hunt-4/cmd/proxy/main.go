// Command proxy forwards requests to an upstream with a concurrency limit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/falsealarm4/internal/lifecycle"
)

func run() int {
	addr := flag.String("addr", ":8081", "listen address")
	upstream := flag.String("upstream", "http://127.0.0.1:8080", "upstream URL")
	flag.Parse()

	u, err := url.Parse(*upstream)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	s := lifecycle.NewServer(*addr, httputil.NewSingleHostReverseProxy(u), 64)
	srv := &http.Server{Addr: *addr, Handler: s.Limit(httputil.NewSingleHostReverseProxy(u)), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func main() {
	os.Exit(run()) // ok: run returns after its defers; main registers none
}
