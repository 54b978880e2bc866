// Command registrar registers itself in the service directory and serves health checks.
package main

import (
	"bytes"
	"context"
	"log"
	"net/http"
	"time"
)

var client = &http.Client{Timeout: 3 * time.Second}

func register(dir, name, addr string) error {
	resp, err := client.Post(dir+"/register", "text/plain", bytes.NewBufferString(name+" "+addr))
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func deregister(dir, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, dir+"/deregister", bytes.NewBufferString(name))
	if err != nil {
		log.Printf("deregister: %v", err)
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		log.Printf("deregister: %v", err)
		return
	}
	resp.Body.Close()
}

func main() {
	const dir, name, addr = "http://directory:7000", "billing", ":8083"
	if err := register(dir, name, addr); err != nil {
		log.Fatalf("register: %v", err)
	}
	defer deregister(dir, name)

	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	err := http.ListenAndServe(addr, nil) // HAZ signal-skips-defer
	log.Fatal(err)                        // HAZ exit-skips-defer
}
