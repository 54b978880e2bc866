// Command queueworker consumes jobs from the in-process queue and serves
// its status page.
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/falsealarm4/internal/jobs"
)

func main() {
	pool, err := jobs.NewPool(context.Background(), 4)
	if err != nil {
		log.Fatal(err) // ok: nothing deferred yet
	}
	pidfile := filepath.Join(os.TempDir(), "queueworker.pid")
	if err := os.WriteFile(pidfile, []byte(fmt.Sprint(os.Getpid())), 0o644); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(pidfile)

	mux := http.NewServeMux()
	mux.HandleFunc("/submit", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		err := pool.Submit(r.Context(), jobs.Job{ID: id, Run: func(context.Context) error { return nil }})
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
		}
	})
	srv := &http.Server{Addr: ":8088", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil {
			log.Printf("status page: %v", err)
		}
	}()
	select {} // HAZ signal-skips-defer
}
