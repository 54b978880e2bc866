// Command webhook serves the read-only object API from a manifest
// directory, for clusters where the operator runs elsewhere.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"

	"example.com/fah31/internal/cache"
	"example.com/fah31/internal/source"
	"example.com/fah31/internal/webhook"
	"example.com/fah31/internal/workqueue"
)

func loadStore(dir string) (*cache.Store, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	objs, err := source.NewDir(dir, time.Second).List(ctx)
	if err != nil {
		return nil, err
	}
	store := cache.NewStore(nil)
	for _, o := range objs {
		store.Add(o)
	}
	return store, nil
}

func writePidFile(path string) error {
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

func main() {
	addr := flag.String("addr", ":8443", "listen address")
	dir := flag.String("objects", "objects", "manifest directory")
	pidFile := flag.String("pidfile", "/run/webhook.pid", "pid file")
	flag.Parse()

	store, err := loadStore(*dir)
	if err != nil {
		log.Fatalf("webhook: %v", err)
	}
	if err := writePidFile(*pidFile); err != nil {
		log.Fatalf("webhook: %v", err)
	}
	defer os.Remove(*pidFile)

	q := workqueue.New(workqueue.DefaultLimiter())
	notifications := make(chan webhook.Notification, 64)
	go webhook.Audit(context.Background(), notifications, func(n webhook.Notification) {
		log.Printf("audit: %s", n.Key)
	})
	srv := &http.Server{
		Addr:              *addr,
		Handler:           webhook.NewServer(store, q, notifications, nil).Routes(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	log.Printf("webhook: serving %d objects on %s", store.Len(), *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("webhook: %v", err)
	}
}
