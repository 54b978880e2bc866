// Command relay forwards one-line commands from HTTP to the backend.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/up14/internal/backend"
	"example.com/up14/internal/connpool"
)

var spoolDir string

// init makes sure the spool directory exists and is writable before any
// request is accepted.
func init() {
	dir := os.Getenv("RELAY_SPOOL")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "relay-spool")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatalf("relay: spool dir: %v", err)
	}
	probe, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		log.Fatalf("relay: spool dir %s not writable: %v", dir, err)
	}
	defer os.Remove(probe.Name())
	_, werr := probe.WriteString("ok\n")
	cerr := probe.Close()
	if err := errors.Join(werr, cerr); err != nil {
		log.Fatalf("relay: spool dir %s not writable: %v", dir, err) // HAZ exit-skips-defer
	}
	spoolDir = dir
}

func main() {
	listen := flag.String("listen", ":8081", "HTTP listen address")
	addr := flag.String("backend", "127.0.0.1:7000", "backend address")
	flag.Parse()

	chk := &backend.Checker{Addr: *addr, Size: 4, Timeout: 2 * time.Second}
	pool, err := chk.Open(context.Background())
	if err != nil {
		log.Fatalf("relay: %v", err)
	}
	defer pool.Close()

	mux := http.NewServeMux()
	mux.Handle("/relay", relayHandler(pool))
	log.Printf("relay: listening on %s, spooling to %s", *listen, spoolDir)
	log.Fatal(http.ListenAndServe(*listen, mux)) // HAZ exit-skips-defer signal-skips-defer
}

func relayHandler(pool *connpool.Pool[net.Conn]) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cmd := r.URL.Query().Get("cmd")
		if cmd == "" {
			http.Error(w, "missing cmd", http.StatusBadRequest)
			return
		}
		conn, err := pool.Get(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		reply, err := backend.RoundTrip(conn, cmd, 2*time.Second)
		if err != nil {
			conn.Close()
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		pool.Put(conn)
		fmt.Fprintln(w, reply)
	})
}
