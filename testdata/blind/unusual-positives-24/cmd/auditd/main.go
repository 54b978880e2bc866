// Command auditd serves the audit ledger over HTTP.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"example.com/up24/internal/audit"
)

func writePID(path string) error {
	return os.WriteFile(path, []byte(fmt.Sprintf("%d\n", os.Getpid())), 0o644)
}

func removePID(path string) {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Printf("auditd: remove pid file: %v", err)
	}
}

func newMux(h *audit.Handler, l *audit.Ledger) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/record", h)
	mux.HandleFunc("/submit", h.Submit)
	mux.HandleFunc("/digest", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, l.Digest())
	})
	return mux
}

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	pidPath := flag.String("pid", "/run/auditd.pid", "pid file")
	collector := flag.String("collector", "http://127.0.0.1:9090/ingest", "collector URL")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("auditd: %v", err)
	}
	defer ln.Close()
	if err := writePID(*pidPath); err != nil {
		log.Printf("auditd: %v", err)
		return
	}
	defer removePID(*pidPath)

	ledger := audit.NewLedger(nil)
	h := audit.NewHandler(ledger, audit.NewShipper(*collector), 256)
	srv := &http.Server{Handler: newMux(h, ledger), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("auditd: serve: %v", err)
		}
	}()
	log.Printf("auditd: listening on %s", ln.Addr())
	select {} // HAZ signal-skips-defer
}
