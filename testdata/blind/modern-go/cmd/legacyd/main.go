// Command legacyd is the old single-binary daemon.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"

	"example.com/moderngo/genx"
)

func main() {
	addr := flag.String("addr", ":9090", "listen address")
	pidPath := flag.String("pidfile", "/run/legacyd.pid", "pid file")
	flag.Parse()

	if err := os.WriteFile(*pidPath, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		log.Fatalf("pidfile: %v", err) // ok: nothing deferred yet
	}
	defer os.Remove(*pidPath)

	m := genx.NewMeter()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hit/{name}", func(w http.ResponseWriter, r *http.Request) {
		m.Inc(r.PathValue("name"))
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /counts", func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range m.Snapshot() {
			fmt.Fprintf(w, "%s %d\n", k, v)
		}
	})
	log.Fatal(http.ListenAndServe(*addr, mux)) // HAZ exit-skips-defer signal-skips-defer
}
