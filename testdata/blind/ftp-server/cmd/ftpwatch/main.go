// Command ftpwatch probes a list of FTP servers at a fixed interval and
// keeps per-server availability counters in a state file that survives
// restarts.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"log"
	"os"
	"strings"
	"time"

	"example.com/ftpsrv/client"
)

// state is persisted between runs.
type state struct {
	Probes   map[string]int       `json:"probes"`
	Failures map[string]int       `json:"failures"`
	LastOK   map[string]time.Time `json:"last_ok"`
}

func main() {
	servers := flag.String("servers", "127.0.0.1:2121", "comma-separated server addresses")
	every := flag.Duration("every", 30*time.Second, "probe interval")
	timeout := flag.Duration("timeout", 5*time.Second, "per-probe timeout")
	statePath := flag.String("state", "/var/lib/ftpwatch/state.json", "state file")
	flag.Parse()

	st, err := loadState(*statePath)
	if err != nil {
		log.Fatalf("ftpwatch: %v", err)
	}
	defer saveState(*statePath, st) // HAZ signal-skips-defer

	addrs := strings.Split(*servers, ",")
	for {
		for _, a := range addrs {
			st.Probes[a]++
			if err := client.CheckServer(a, *timeout); err != nil {
				st.Failures[a]++
				log.Printf("ftpwatch: %s: %v", a, err)
				continue
			}
			st.LastOK[a] = time.Now()
		}
		time.Sleep(*every)
	}
}

// loadState reads the state file; a missing file starts from zero.
func loadState(path string) (*state, error) {
	st := &state{Probes: map[string]int{}, Failures: map[string]int{}, LastOK: map[string]time.Time{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, st); err != nil {
		return nil, err
	}
	return st, nil
}

// saveState writes the state file atomically.
func saveState(path string, st *state) {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		log.Printf("ftpwatch: state: %v", err)
		return
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		log.Printf("ftpwatch: state: %v", err)
		return
	}
	if err := os.Rename(tmp, path); err != nil {
		log.Printf("ftpwatch: state: %v", err)
	}
}
