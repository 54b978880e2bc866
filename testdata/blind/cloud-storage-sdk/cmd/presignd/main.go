// Command presignd hands out presigned URLs to authenticated callers.
package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/cloudstoragesdk/credentials"
	"example.com/cloudstoragesdk/storage"
)

// parseTTL parses a ttl query value, defaulting to fifteen minutes.
func parseTTL(s string) (time.Duration, error) {
	if s == "" {
		return 15 * time.Minute, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	if d <= 0 || d > storage.MaxPresignTTL {
		return 0, errors.New("ttl out of range")
	}
	return d, nil
}

// authorized checks the bearer token in constant time.
func authorized(r *http.Request, token string) bool {
	got := r.Header.Get("Authorization")
	want := "Bearer " + token
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// handlePresign returns the handler that presigns GET and PUT URLs.
func handlePresign(p *storage.Presigner, token string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !authorized(r, token) {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		q := r.URL.Query()
		ttl, err := parseTTL(q.Get("ttl"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		var u string
		switch q.Get("method") {
		case "", "GET":
			u, err = p.PresignGet(ctx, q.Get("key"), ttl)
		case "PUT":
			u, err = p.PresignPut(ctx, q.Get("key"), ttl, q.Get("content-type"))
		default:
			http.Error(w, "method must be GET or PUT", http.StatusBadRequest)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"url": u, "expires": time.Now().Add(ttl).Format(time.RFC3339)})
	}
}

func main() {
	addr := flag.String("listen", ":8443", "listen address")
	flag.Parse()
	token := os.Getenv("PRESIGND_TOKEN")
	if token == "" {
		log.Fatal("presignd: PRESIGND_TOKEN is not set")
	}
	client, err := storage.NewClient(storage.Config{
		Endpoint:    os.Getenv("CLOUDSTORE_ENDPOINT"),
		Bucket:      os.Getenv("CLOUDSTORE_BUCKET"),
		Credentials: credentials.DefaultChain(""),
	})
	if err != nil {
		log.Fatalf("presignd: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	mux := http.NewServeMux()
	mux.Handle("/presign", handlePresign(storage.NewPresigner(client), token))
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Printf("presignd: listening on %s", *addr)

	select {
	case err := <-errc:
		log.Printf("presignd: %v", err)
		return
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Printf("presignd: shutdown: %v", err)
	}
}
