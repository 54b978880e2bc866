// Command tokenctl keeps a token file fresh and serves the current token on a
// local metadata endpoint until interrupted.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"example.com/sdk/auth"
)

func fetcher(hc *http.Client, tokenURL string) auth.FetchFunc {
	return func(ctx context.Context) (*auth.Token, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader("grant_type=client_credentials"))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close() // ok: after the error check, in the returned func
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("token endpoint: %s", resp.Status)
		}
		var tok auth.Token
		if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil {
			return nil, err
		}
		return &tok, nil
	}
}

func tokenHandler(src *auth.RefreshingSource) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel() // ok: cancel never blocks
		tok, err := src.Token(ctx)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(tok)
	})
}

func run() int {
	tokenURL := flag.String("token-url", "http://127.0.0.1:8080/oauth/token", "token endpoint")
	path := flag.String("out", "token.json", "token file")
	addr := flag.String("addr", "127.0.0.1:8099", "metadata listen address")
	every := flag.Duration("every", 10*time.Minute, "refresh interval")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	src := auth.NewRefreshingSource(fetcher(&http.Client{Timeout: 10 * time.Second}, *tokenURL), *path, *every)
	if err := src.RefreshAndSave(ctx); err != nil {
		log.Printf("initial refresh: %v", err)
		return 1
	}
	src.Start()
	defer src.Stop() // ok: the refresh loop's work is bounded by its own timeout

	hs := &http.Server{Addr: *addr, Handler: tokenHandler(src)}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Printf("serve: %v", err)
			return 1
		}
	case <-ctx.Done():
	}

	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	defer hs.Shutdown(sctx) // ok: bounded by the timeout context
	return 0
}

func main() {
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: tokenctl [flags]\n")
		flag.PrintDefaults()
		os.Exit(2) // ok: inside a function literal, nothing deferred in main
	}
	os.Exit(run()) // ok: main defers nothing
}
