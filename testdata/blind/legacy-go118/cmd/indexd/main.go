// Command indexd serves the index API and shuts down cleanly on SIGTERM.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/legacy118/internal/cache"
	"example.com/legacy118/internal/fsutil"
	"example.com/legacy118/internal/service"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	dataDir := flag.String("data", "/var/lib/indexd", "data directory")
	flag.Parse()

	lock, err := fsutil.AcquirePidLock(*dataDir + "/indexd.pid")
	if err != nil {
		log.Fatal(err) // ok: nothing deferred yet
	}
	defer lock.Release()

	rot, err := service.OpenRotator(*dataDir, 10<<20)
	if err != nil {
		log.Printf("indexd: %v", err)
		return
	}
	defer rot.Close()

	ttl := cache.NewTTL(1024)
	mux := http.NewServeMux()
	mux.HandleFunc("/lookup", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(ttl.Lookup(r.URL.Query().Get("k"), "")))
	})
	srv := &http.Server{Addr: *addr, Handler: mux}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-sigs
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			log.Printf("indexd: shutdown: %v", err)
		}
	}()

	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed { // ok: SIGTERM stops the server, then defers run
		log.Printf("indexd: %v", err)
	}
}
