// Command healthz-probe is a tiny static health endpoint used as a liveness
// target in the staging cluster. It holds no resources.
package main

import (
	"flag"
	"log"
	"net/http"
	"time"
)

func main() {
	addr := flag.String("addr", ":8086", "listen address")
	flag.Parse()

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte("ok\n"))
	})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 2 * time.Second}
	log.Fatal(srv.ListenAndServe()) // ok: no deferred cleanup to skip
}
