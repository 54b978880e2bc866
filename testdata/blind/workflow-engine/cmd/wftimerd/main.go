// Command wftimerd is the standalone timer service used by small
// deployments: it keeps durable timers and forwards fired ones to the engine.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/wfengine/internal/timer"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7244", "listen address")
	state := flag.String("state", "timers.json", "timer state file")
	target := flag.String("target", "", "engine URL receiving fired timers")
	flag.Parse()

	logger := log.New(os.Stderr, "wftimerd ", log.LstdFlags)
	wheel := timer.NewWheel(1024)
	defer wheel.Stop()

	if n, err := restore(wheel, *state); err != nil {
		logger.Printf("restore %s: %v (starting empty)", *state, err)
	} else {
		logger.Printf("restored %d timers", n)
	}
	defer func() {
		if err := persist(wheel, *state); err != nil {
			logger.Printf("persist %s: %v", *state, err)
		}
	}()

	go forward(wheel, *target, logger)

	mux := http.NewServeMux()
	mux.HandleFunc("POST /timers", scheduleHandler(wheel))
	mux.HandleFunc("GET /timers", listHandler(wheel))
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	logger.Printf("listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}

// restore re-arms the timers saved by persist.
func restore(w *timer.Wheel, path string) (int, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var saved []timer.Fired
	if err := json.Unmarshal(data, &saved); err != nil {
		return 0, err
	}
	for _, f := range saved {
		if _, err := w.Schedule(f.ID, f.WorkflowID, f.At); err != nil {
			return 0, err
		}
	}
	return len(saved), nil
}

// persist saves the pending timers atomically.
func persist(w *timer.Wheel, path string) error {
	data, err := json.MarshalIndent(w.Pending(), "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// forward posts fired timers to the engine, for the life of the process.
func forward(w *timer.Wheel, target string, logger *log.Logger) {
	hc := &http.Client{Timeout: 5 * time.Second}
	for f := range w.C() {
		if target == "" {
			logger.Printf("fired %s (%s), no target configured", f.ID, f.WorkflowID)
			continue
		}
		body, err := json.Marshal(f)
		if err != nil {
			continue
		}
		resp, err := hc.Post(target, "application/json", bytes.NewReader(body))
		if err != nil {
			logger.Printf("forward %s: %v", f.ID, err)
			continue
		}
		resp.Body.Close()
	}
}

func scheduleHandler(w *timer.Wheel) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		var f timer.Fired
		if err := json.NewDecoder(http.MaxBytesReader(rw, r.Body, 64<<10)).Decode(&f); err != nil {
			http.Error(rw, err.Error(), http.StatusBadRequest)
			return
		}
		if f.ID == "" || f.At.IsZero() {
			http.Error(rw, "id and at are required", http.StatusBadRequest)
			return
		}
		if _, err := w.Schedule(f.ID, f.WorkflowID, f.At); err != nil {
			http.Error(rw, err.Error(), http.StatusConflict)
			return
		}
		rw.WriteHeader(http.StatusCreated)
	}
}

func listHandler(w *timer.Wheel) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(rw).Encode(w.Pending()); err != nil {
			log.Printf("wftimerd: list: %v", err)
		}
	}
}
