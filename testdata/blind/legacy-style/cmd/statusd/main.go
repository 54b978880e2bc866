// Command statusd serves the HTTP status pages of a node and probes its
// peers.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"example.com/legacystyle/internal/fetch"
	"example.com/legacystyle/internal/fileutil"
	"example.com/legacystyle/internal/logx"
	"example.com/legacystyle/internal/status"
	"example.com/legacystyle/internal/store"
)

// die logs and exits; it never returns.
func die(format string, args ...interface{}) {
	log.Printf(format, args...)
	os.Exit(2)
}

// splitPeers parses a comma-separated peer list.
func splitPeers(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// seedStore loads "key value" lines into st.
func seedStore(st *store.Store, path string) error {
	lines, err := fileutil.ReadLines(path)
	if err != nil {
		return err
	}
	for i, line := range lines {
		parts := strings.SplitN(line, " ", 2)
		if len(parts) != 2 {
			return fmt.Errorf("%s:%d: want \"key value\"", path, i+1)
		}
		st.Set(parts[0], []byte(parts[1]))
	}
	return nil
}

// migrateSnapshot converts the snapshot at from into a fresh one at to,
// working on a scratch copy.
func migrateSnapshot(st *store.Store, from, to string) {
	tmp := to + ".partial"
	if err := fileutil.CopyFile(tmp, from); err != nil {
		die("statusd: copy %s: %v", from, err)
	}
	defer os.Remove(tmp)
	if err := st.LoadSnapshot(tmp); err != nil {
		die("statusd: load %s: %v", tmp, err) // HAZ exit-skips-defer
	}
	if err := st.SaveSnapshot(to); err != nil {
		log.Printf("statusd: save %s: %v", to, err)
	}
}

// probePeers checks every peer each interval until stop is closed.
func probePeers(f *fetch.Fetcher, lg *logx.Logger, peers []string, every time.Duration, stop <-chan struct{}) {
	for {
		for _, p := range peers {
			code, err := f.Head("http://" + p + "/healthz")
			if err != nil || code != http.StatusOK {
				lg.Infof("peer %s unhealthy: %d %v", p, code, err)
			}
		}
		select {
		case <-stop:
			return
		case <-time.After(every):
		}
	}
}

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	peers := flag.String("peers", "", "comma-separated peers to probe")
	seed := flag.String("seed", "", "file of \"key value\" lines")
	migrate := flag.String("migrate", "", "old snapshot to convert to -snapshot, then exit")
	snapshot := flag.String("snapshot", "status.gob.gz", "snapshot path")
	auditPath := flag.String("audit", "audit.log", "audit log")
	debug := flag.Bool("debug", false, "debug logging")
	flag.Parse()

	lg := logx.New(os.Stderr, "statusd ", *debug)
	st := store.New(0)
	if *migrate != "" {
		migrateSnapshot(st, *migrate, *snapshot)
		return
	}
	if *seed != "" {
		if err := seedStore(st, *seed); err != nil {
			log.Fatalf("statusd: %v", err)
		}
	}
	auditFile, err := os.OpenFile(*auditPath, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0644)
	if err != nil {
		log.Fatalf("statusd: %v", err)
	}
	defer func() {
		if err := auditFile.Close(); err != nil {
			log.Printf("statusd: closing audit log: %v", err)
		}
	}()

	srv := status.NewServer(st, lg)
	stop := make(chan struct{})
	defer close(stop)
	go srv.AuditLoop(auditFile, stop)
	f := fetch.NewFetcher(2*time.Second, nil)
	go probePeers(f, lg, splitPeers(*peers), 30*time.Second, stop)

	hs := &http.Server{
		Addr:         *addr,
		Handler:      srv.Routes(),
		ReadTimeout:  10 * time.Second,
		WriteTimeout: 10 * time.Second,
	}
	lg.Infof("listening on %s", *addr)
	if err := hs.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		lg.Infof("serve: %v", err)
	}
}
