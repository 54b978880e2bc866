// Command up5mirror serves a read-only HTTP mirror of an up5 store and
// reloads it from disk on SIGHUP.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"example.com/up5/internal/store"
)

var current atomic.Pointer[store.Store]

func serveKey(w http.ResponseWriter, r *http.Request) {
	v, err := current.Load().Get(r.PathValue("key"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Write(v)
}

// reloadOn reopens the store at path whenever a signal arrives on sigs.
func reloadOn(sigs <-chan os.Signal, path string) {
	for range sigs {
		st, err := store.Open(path)
		if err != nil {
			log.Printf("up5mirror: reload: %v", err)
			continue
		}
		current.Store(st)
		log.Printf("up5mirror: reloaded %s", path)
	}
}

func main() {
	addr := flag.String("addr", ":8090", "listen address")
	path := flag.String("store", "up5.db", "store file")
	flag.Parse()
	st, err := store.Open(*path)
	if err != nil {
		log.Fatalf("up5mirror: %v", err)
	}
	current.Store(st)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go reloadOn(hup, *path)
	defer func() {
		if err := current.Load().Close(); err != nil {
			log.Printf("up5mirror: close: %v", err)
		}
	}()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /kv/{key}", serveKey)
	if err := http.ListenAndServe(*addr, mux); err != nil { // HAZ signal-skips-defer
		log.Printf("up5mirror: %v", err)
	}
}
