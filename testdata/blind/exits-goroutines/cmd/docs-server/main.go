// Command docs-server serves the rendered documentation site and records
// page-view counters in a write-back store.
package main

import (
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"example.com/blindd/internal/svc"
)

func main() {
	addr := flag.String("addr", ":8000", "listen address")
	root := flag.String("root", "/srv/docs", "site root")
	dataDir := flag.String("data", "/var/lib/docs-server", "counters")
	flag.Parse()

	counters, err := svc.OpenStore(*dataDir)
	if err != nil {
		log.Fatalf("docs-server: %v", err) // ok: nothing deferred yet
	}
	defer counters.Close()

	files := http.FileServer(http.Dir(*root))
	srv := &http.Server{
		Addr:              *addr,
		ReadHeaderTimeout: 5 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := 0
			if b, ok := counters.Get(r.URL.Path); ok {
				n, _ = strconv.Atoi(string(b))
			}
			counters.Put(r.URL.Path, []byte(strconv.Itoa(n+1)))
			files.ServeHTTP(w, r)
		}),
	}

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		s := <-sigc
		log.Printf("docs-server: %v, closing", s)
		srv.Close()
	}()

	err = srv.ListenAndServe() // ok: SIGTERM/SIGINT make it return, and the defers run
	if !errors.Is(err, http.ErrServerClosed) {
		log.Printf("docs-server: %v", err)
	}
}
