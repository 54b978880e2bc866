// Command fspublisher watches the materialiser's output directory and pushes
// every newly promoted snapshot to the replicas. /healthz reports the last
// push; the last pushed run is remembered across restarts in a state file.
package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"example.com/featurestore/internal/materialize"
	"example.com/featurestore/internal/serving"
)

// pushRecord is immutable once published through state.
type pushRecord struct {
	LastRun  string    `json:"last_run"`
	PushedAt time.Time `json:"pushed_at"`
	Keys     int       `json:"keys"`
}

// state is shared by the watcher goroutine, the health handler and the exit
// path; records are swapped atomically so that no path needs a lock.
type state struct {
	cur atomic.Pointer[pushRecord]
}

func main() {
	dir := flag.String("dir", "", "published snapshots (materializer -out)")
	replicas := flag.String("replicas", "", "comma-separated replica replication addresses")
	view := flag.String("view", "default", "feature view of the snapshots")
	httpAddr := flag.String("http", "127.0.0.1:7073", "health endpoint")
	statePath := flag.String("state", "fspublisher.json", "state file")
	interval := flag.Duration("interval", 30*time.Second, "manifest poll interval")
	flag.Parse()
	if *dir == "" || *replicas == "" {
		flag.Usage()
		os.Exit(2)
	}

	st, err := loadState(*statePath)
	if err != nil {
		log.Fatalf("fspublisher: %v", err)
	}
	defer func() {
		if err := saveState(*statePath, st); err != nil {
			log.Printf("fspublisher: save state: %v", err)
		}
	}()

	current := filepath.Join(*dir, "current")
	w := &materialize.Watcher{
		Manifest: filepath.Join(current, "manifest.json"),
		Interval: *interval,
		OnChange: func([]materialize.ManifestEntry) {
			run, err := os.Readlink(current)
			if err != nil || run == st.lastRun() {
				return
			}
			n, err := publish(current, *view, strings.Split(*replicas, ","))
			if err != nil {
				log.Printf("fspublisher: push %s: %v", run, err)
				return
			}
			st.record(run, n)
		},
	}
	go w.Run(context.Background())

	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		rec := st.cur.Load()
		fmt.Fprintf(w, "last run %s pushed at %s (%d keys)\n", rec.LastRun, rec.PushedAt.Format(time.RFC3339), rec.Keys)
	})
	log.Fatal(http.ListenAndServe(*httpAddr, nil)) // HAZ signal-skips-defer exit-skips-defer
}

func (s *state) lastRun() string {
	return s.cur.Load().LastRun
}

func (s *state) record(run string, keys int) {
	s.cur.Store(&pushRecord{LastRun: run, PushedAt: time.Now().UTC(), Keys: keys})
}

func loadState(path string) (*state, error) {
	st := &state{}
	rec := &pushRecord{}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		st.cur.Store(rec)
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, rec); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	st.cur.Store(rec)
	return st, nil
}

func saveState(path string, st *state) error {
	data, err := json.MarshalIndent(st.cur.Load(), "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// publish pushes the latest value of every (entity, feature) in runDir's
// snapshot to each replica and returns how many keys it pushed.
func publish(runDir, view string, replicas []string) (int, error) {
	groups, err := materialize.ReadSnapshot(filepath.Join(runDir, "snapshot.fspq.gz"))
	if err != nil {
		return 0, err
	}
	var puts []serving.Put
	for _, g := range groups {
		for _, c := range g.Columns {
			for i, id := range g.EntityIDs {
				buf := make([]byte, 16)
				binary.BigEndian.PutUint64(buf[:8], math.Float64bits(c.Values[i]))
				binary.BigEndian.PutUint64(buf[8:], uint64(g.Timestamps[i]))
				puts = append(puts, serving.Put{Key: view + "/" + id + "/" + c.Name, Value: buf, Version: g.Timestamps[i]})
			}
		}
	}
	var errs []error
	for _, addr := range replicas {
		if err := serving.PushBatch(addr, puts); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", addr, err))
		}
	}
	return len(puts), errors.Join(errs...)
}
