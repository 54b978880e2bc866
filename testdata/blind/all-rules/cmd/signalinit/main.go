// Command signalinit serves reports; signal handling is installed in signals.go.
package main

import (
	"errors"
	"log"
	"net/http"
	"os"
)

func main() {
	tmp, err := os.MkdirTemp("", "reports-")
	if err != nil {
		log.Fatalf("temp dir: %v", err)
	}
	defer os.Remove(tmp)

	srv := &http.Server{Addr: ":8084", Handler: http.FileServer(http.Dir(tmp))}
	go func() {
		<-shutdown
		if err := srv.Close(); err != nil {
			log.Printf("close: %v", err)
		}
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // ok: SIGTERM closes srv via signals.go
		log.Printf("serve: %v", err)
	}
}
