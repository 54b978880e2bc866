// Command hup-reloader serves feature flags from a file and reloads it on
// SIGHUP. It listens for SIGHUP only: SIGTERM still kills it outright.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"example.com/blindd/internal/svc"
)

type flags struct {
	mu     sync.RWMutex
	values map[string]bool
}

func (f *flags) load(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var v map[string]bool
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	f.mu.Lock()
	f.values = v
	f.mu.Unlock()
	return nil
}

func (f *flags) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	json.NewEncoder(w).Encode(f.values)
}

func main() {
	addr := flag.String("addr", ":8088", "listen address")
	path := flag.String("flags", "/etc/flags.json", "flags file")
	dataDir := flag.String("data", "/var/lib/hup-reloader", "override store")
	flag.Parse()

	ff := &flags{}
	if err := ff.load(*path); err != nil {
		log.Fatalf("hup-reloader: %v", err)
	}
	overrides, err := svc.OpenStore(*dataDir)
	if err != nil {
		log.Fatalf("hup-reloader: %v", err)
	}
	defer overrides.Close() // persists operator overrides

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			if err := ff.load(*path); err != nil {
				log.Printf("hup-reloader: reload: %v", err)
				continue
			}
			log.Print("hup-reloader: flags reloaded")
		}
	}()

	mux := http.NewServeMux()
	mux.Handle("/flags", ff)
	mux.Handle("/overrides/", overrides.Handler())
	err = http.ListenAndServe(*addr, mux) // HAZ signal-skips-defer
	log.Printf("hup-reloader: %v", err)
}
