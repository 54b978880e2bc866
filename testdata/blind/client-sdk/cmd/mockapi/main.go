// Command mockapi runs the fake object API on a fixed address, persisting its
// objects to a state file between runs.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"

	"example.com/sdk/mockserver"
)

func loadState(path string, srv *mockserver.Server) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var objs map[string][]byte
	if err := json.Unmarshal(b, &objs); err != nil {
		return err
	}
	srv.Load(objs)
	return nil
}

func saveState(path string, srv *mockserver.Server) {
	b, err := json.Marshal(srv.Objects())
	if err != nil {
		log.Printf("save state: %v", err)
		return
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		log.Printf("save state: %v", err)
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	state := flag.String("state", "mockapi-state.json", "state file")
	flag.Parse()

	srv := mockserver.New()
	srv.Logger = log.Default()
	if err := loadState(*state, srv); err != nil {
		log.Fatalf("load state: %v", err) // ok: nothing deferred yet
	}
	defer saveState(*state, srv)
	defer srv.Close()

	hs := &http.Server{Addr: *addr, Handler: srv.Handler()}
	log.Printf("mock API listening on http://%s", *addr)
	if err := hs.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("serve: %v", err)
	}
}
