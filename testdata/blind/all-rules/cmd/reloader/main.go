// Command reloader serves configuration and reloads it on SIGHUP.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

type config struct {
	mu     sync.RWMutex
	values map[string]string
}

func (c *config) load(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var v map[string]string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	c.mu.Lock()
	c.values = v
	c.mu.Unlock()
	return nil
}

func main() {
	pidFile := "/run/reloader.pid"
	if err := os.WriteFile(pidFile, []byte("self\n"), 0o644); err != nil {
		log.Fatalf("write pid file: %v", err)
	}
	defer os.Remove(pidFile)

	cfg := &config{}
	if err := cfg.load("config.json"); err != nil {
		log.Printf("initial load: %v", err)
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			if err := cfg.load("config.json"); err != nil {
				log.Printf("reload: %v", err)
			}
		}
	}()

	http.HandleFunc("/config", func(w http.ResponseWriter, r *http.Request) {
		cfg.mu.RLock()
		defer cfg.mu.RUnlock()
		_ = json.NewEncoder(w).Encode(cfg.values)
	})
	if err := http.ListenAndServe(":8081", nil); err != nil { // HAZ signal-skips-defer
		log.Printf("serve: %v", err)
	}
}
