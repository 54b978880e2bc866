// Command apiserver serves the public API and keeps an audit log.
package main

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	audit, err := os.OpenFile("audit.log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		log.Fatalf("open audit log: %v", err)
	}
	defer func() {
		if err := audit.Sync(); err != nil {
			log.Printf("sync audit log: %v", err)
		}
		if err := audit.Close(); err != nil {
			log.Printf("close audit log: %v", err)
		}
	}()

	mux := http.NewServeMux()
	mux.HandleFunc("/v1/items", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(audit, "%s %s %s\n", time.Now().Format(time.RFC3339), r.Method, r.URL.Path)
		w.WriteHeader(http.StatusOK)
	})
	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("serve: %v", err)
	}
}
