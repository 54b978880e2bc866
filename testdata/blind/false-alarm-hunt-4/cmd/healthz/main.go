// Command healthz is a tiny liveness endpoint with nothing to clean up.
package main

import (
	"log"
	"net/http"
	"os"
)

func main() {
	addr := os.Getenv("HEALTHZ_ADDR")
	if addr == "" {
		addr = ":8086"
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	log.Fatal(http.ListenAndServe(addr, nil)) // ok: no deferred cleanup exists to skip
}
