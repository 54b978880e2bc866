// Command devsim serves simulated sensor streams over HTTP, so that a hub on
// the bench can read "devices" without hardware.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8099", "listen address")
	portFile := flag.String("portfile", "/tmp/devsim.addr", "file announcing the address to test scripts")
	flag.Parse()

	if err := os.WriteFile(*portFile, []byte(*addr+"\n"), 0o644); err != nil {
		log.Fatalf("devsim: %v", err)
	}
	defer os.Remove(*portFile)

	mux := http.NewServeMux()
	mux.HandleFunc("/stream/", serveStream)
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("devsim: listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("devsim: %v", err)
	}
}

// serveStream writes n simulated "metric=value" lines for one device.
func serveStream(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/stream/")
	if id == "" {
		http.NotFound(w, r)
		return
	}
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n <= 0 || n > 10000 {
		n = 100
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	rng := rand.New(rand.NewSource(int64(len(id)) * 7919))
	for i := 0; i < n; i++ {
		if _, err := fmt.Fprintf(w, "temp=%.2f\nhum=%.1f\n", 18+rng.Float64()*6, 35+rng.Float64()*20); err != nil {
			return
		}
	}
}
