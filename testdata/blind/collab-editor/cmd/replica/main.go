// Command replica keeps a local copy of a primary's snapshots by polling
// snapshotd, so a cold standby can take over with recent data.
package main

import (
	"compress/flate"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"example.com/collab/internal/doc"
	"example.com/collab/internal/snapshot"
)

const cleanMarker = "CLEAN_SHUTDOWN"

var lastSync atomic.Int64

func main() {
	primary := flag.String("primary", "http://127.0.0.1:8081", "snapshotd base URL")
	dir := flag.String("dir", "replica", "local snapshot directory")
	docs := flag.String("docs", "", "comma-separated document ids to replicate")
	every := flag.Duration("every", 15*time.Second, "poll interval")
	status := flag.String("status", "127.0.0.1:8091", "status endpoint address")
	check := flag.String("check", "", "print the primary's version of one document and exit")
	flag.Parse()

	if *check != "" {
		snap, err := fetch(&http.Client{Timeout: 5 * time.Second}, *primary, *check)
		if err != nil {
			log.Fatalf("replica: %v", err)
		}
		fmt.Printf("%s: version %d, updated %s\n", snap.ID, snap.Version, snap.Updated.Format(time.RFC3339))
		return
	}

	w, err := snapshot.NewWriter(*dir, flate.BestSpeed)
	if err != nil {
		log.Fatalf("replica: %v", err)
	}
	if !wasClean(*dir) {
		log.Printf("replica: previous run did not stop cleanly; doing a full resync")
	}
	defer markClean(*dir)

	go func() {
		mux := http.NewServeMux()
		mux.HandleFunc("/status", statusHandler)
		srv := &http.Server{Addr: *status, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		if err := srv.ListenAndServe(); err != nil {
			log.Printf("replica: status server: %v", err)
		}
	}()

	client := &http.Client{Timeout: 10 * time.Second}
	ids := strings.Split(*docs, ",")
	for { // HAZ signal-skips-defer
		if err := syncOnce(client, *primary, ids, w); err != nil {
			log.Printf("replica: %v", err)
		}
		lastSync.Store(time.Now().Unix())
		time.Sleep(*every)
	}
}

// wasClean reports whether the previous run left the clean-shutdown marker,
// and removes it.
func wasClean(dir string) bool {
	path := filepath.Join(dir, cleanMarker)
	if _, err := os.Stat(path); err != nil {
		return false
	}
	return os.Remove(path) == nil
}

func markClean(dir string) {
	if err := os.WriteFile(filepath.Join(dir, cleanMarker), nil, 0o644); err != nil {
		log.Printf("replica: %v", err)
	}
}

// syncOnce fetches every document from the primary and stores it locally.
func syncOnce(client *http.Client, primary string, ids []string, w *snapshot.Writer) error {
	var errs []error
	for _, id := range ids {
		if id == "" {
			continue
		}
		resp, err := client.Get(primary + "/snapshots/" + url.PathEscape(id))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusOK {
			errs = append(errs, fmt.Errorf("%s: %s", id, resp.Status))
			continue
		}
		var snap doc.Snapshot
		if err := json.NewDecoder(resp.Body).Decode(&snap); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", id, err))
			continue
		}
		if err := w.Write(snap); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", id, err))
		}
	}
	return errors.Join(errs...)
}

// fetch returns the primary's current snapshot of one document.
func fetch(client *http.Client, primary, id string) (doc.Snapshot, error) {
	resp, err := client.Get(primary + "/snapshots/" + url.PathEscape(id))
	if err != nil {
		return doc.Snapshot{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return doc.Snapshot{}, fmt.Errorf("%s: %s", id, resp.Status)
	}
	var snap doc.Snapshot
	err = json.NewDecoder(resp.Body).Decode(&snap)
	return snap, err
}

func statusHandler(w http.ResponseWriter, r *http.Request) {
	last := lastSync.Load()
	if last == 0 {
		http.Error(w, "no sync yet", http.StatusServiceUnavailable)
		return
	}
	age := time.Since(time.Unix(last, 0)).Round(time.Second)
	fmt.Fprintf(w, "last sync %s ago\n", age)
}
