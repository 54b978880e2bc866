// Command surge-board is the wall-screen dashboard in the ops room: it
// renders the surge table dumped by dispatchd (Pricer.WriteSnapshot).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"log"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"time"

	"example.com/dispatch/internal/surge"
)

type board struct {
	path string

	mu     sync.RWMutex
	snap   surge.Snapshot
	loaded time.Time
}

func (b *board) reload() error {
	data, err := os.ReadFile(b.path)
	if err != nil {
		return err
	}
	var snap surge.Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		return fmt.Errorf("%s: %w", b.path, err)
	}
	sort.Slice(snap.Cells, func(i, j int) bool { return snap.Cells[i].Multiplier > snap.Cells[j].Multiplier })
	b.mu.Lock()
	defer b.mu.Unlock()
	b.snap = snap
	b.loaded = time.Now()
	return nil
}

func (b *board) current() (surge.Snapshot, time.Time) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.snap, b.loaded
}

// autoReload re-reads the snapshot periodically; the returned func stops it.
func (b *board) autoReload(every time.Duration) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				if err := b.reload(); err != nil {
					log.Printf("reload: %v", err)
				}
			case <-done:
				return
			}
		}
	}()
	return func() { close(done) }
}

func (b *board) handleIndex(w http.ResponseWriter, r *http.Request) {
	snap, loaded := b.current()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Refresh", "15")
	fmt.Fprintf(w, "<h1>Surge</h1><p>table from %s, loaded %s</p><table>",
		html.EscapeString(snap.Updated.Format(time.RFC1123)), html.EscapeString(loaded.Format(time.Kitchen)))
	for _, c := range snap.Cells {
		mark := ""
		if c.Override {
			mark = " (pinned)"
		}
		fmt.Fprintf(w, "<tr><td>%d/%d</td><td>x%s%s</td></tr>",
			c.Cell.Row, c.Cell.Col, strconv.FormatFloat(c.Multiplier, 'f', 1, 64), mark)
	}
	fmt.Fprint(w, "</table>")
}

func (b *board) handleJSON(w http.ResponseWriter, r *http.Request) {
	snap, _ := b.current()
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(snap); err != nil {
		log.Printf("encode: %v", err)
	}
}

func writePIDFile(path string) error {
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

func main() {
	addr := flag.String("addr", ":8090", "listen address")
	snapPath := flag.String("snapshot", "/var/lib/dispatch/surge.json", "surge snapshot written by dispatchd")
	pidPath := flag.String("pidfile", "/run/surge-board.pid", "pid file")
	flag.Parse()

	b := &board{path: *snapPath}
	if err := b.reload(); err != nil {
		log.Fatalf("initial load: %v", err)
	}
	if err := writePIDFile(*pidPath); err != nil {
		log.Fatalf("pid file: %v", err)
	}
	defer os.Remove(*pidPath)
	stop := b.autoReload(15 * time.Second)
	defer stop()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", b.handleIndex)
	mux.HandleFunc("GET /surge.json", b.handleJSON)
	log.Printf("surge-board on %s", *addr)
	if err := http.ListenAndServe(*addr, mux); err != nil { // HAZ signal-skips-defer
		log.Printf("serve: %v", err)
	}
}
