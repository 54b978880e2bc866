// Command config-reloader serves the rendered config to sidecars and
// re-renders it on SIGHUP.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

type renderer struct {
	mu       sync.RWMutex
	src      string
	rendered []byte
	audit    *os.File
}

func (r *renderer) render() error {
	raw, err := os.ReadFile(r.src)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.rendered = raw
	r.mu.Unlock()
	_, err = r.audit.WriteString(time.Now().UTC().Format(time.RFC3339) + " rendered " + r.src + "\n")
	return err
}

func (r *renderer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, _ = w.Write(r.rendered)
}

// closeAudit records the shutdown in the audit log and closes it.
func (r *renderer) closeAudit() {
	_, _ = r.audit.WriteString(time.Now().UTC().Format(time.RFC3339) + " stopped\n")
	if err := r.audit.Sync(); err != nil {
		log.Printf("config-reloader: sync audit log: %v", err)
	}
	if err := r.audit.Close(); err != nil {
		log.Printf("config-reloader: close audit log: %v", err)
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7070", "listen address")
	src := flag.String("config", "/etc/mesh/config.json", "source config")
	auditPath := flag.String("audit", "/var/log/config-reloader.audit", "audit log")
	flag.Parse()

	audit, err := os.OpenFile(*auditPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		log.Printf("config-reloader: open audit log: %v", err)
		os.Exit(1)
	}
	r := &renderer{src: *src, audit: audit}
	defer r.closeAudit()
	if err := r.render(); err != nil {
		log.Printf("config-reloader: initial render: %v", err)
		return
	}

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			if err := r.render(); err != nil {
				log.Printf("config-reloader: reload: %v", err)
			}
		}
	}()

	srv := &http.Server{Addr: *addr, Handler: r, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("config-reloader: %v", err)
	}
}
