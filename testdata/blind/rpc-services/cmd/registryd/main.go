// Command registryd runs the service registry.
package main

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"log"
	"log/slog"
	"net/http"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"example.com/rpcservices/registry"
)

func main() {
	addr := flag.String("addr", ":7070", "listen address")
	ttl := flag.Duration("ttl", 30*time.Second, "instance TTL")
	snapshotPath := flag.String("snapshot", "registry.json", "snapshot file, restored at start and saved at exit")
	peers := flag.String("peers", "", "comma-separated peer replica URLs")
	pidfile := flag.String("pidfile", "", "write the process id to this file")
	compactDir := flag.String("compact", "", "merge the snapshots of this directory into -snapshot and exit")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of -compact to this file")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if *compactDir != "" {
		if err := runWithProfile(*cpuProfile, func() error { return compact(*compactDir, *snapshotPath) }); err != nil {
			log.Fatalf("compact: %v", err)
		}
		return
	}

	reg := registry.New(*ttl)
	restore(reg, *snapshotPath, logger)
	if *pidfile != "" {
		if err := os.WriteFile(*pidfile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
			log.Fatalf("pidfile: %v", err)
		}
		defer os.Remove(*pidfile)
	}
	defer saveOnExit(reg, *snapshotPath, logger)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go reg.Janitor(ctx, *ttl/3)

	api := registry.NewAPI(reg, logger, splitPeers(*peers)...)
	srv := &http.Server{Addr: *addr, Handler: api.Routes(), ReadHeaderTimeout: 5 * time.Second}
	logger.Info("registry listening", "addr", *addr, "ttl", *ttl)
	log.Fatal(srv.ListenAndServe()) // HAZ exit-skips-defer signal-skips-defer
}

// restore loads the last snapshot; a missing file is a fresh start.
func restore(reg *registry.Registry, path string, logger *slog.Logger) {
	snap, err := registry.LoadSnapshot(path)
	if errors.Is(err, fs.ErrNotExist) {
		logger.Info("no snapshot, starting empty", "path", path)
		return
	}
	if err != nil {
		log.Fatalf("restore %s: %v", path, err)
	}
	logger.Info("restored snapshot", "path", path, "instances", reg.Restore(snap), "taken", snap.Taken)
}

func saveOnExit(reg *registry.Registry, path string, logger *slog.Logger) {
	if err := registry.SaveSnapshot(path, reg.TakeSnapshot()); err != nil {
		logger.Error("save snapshot", "path", path, "err", err)
	}
}

func splitPeers(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.TrimSuffix(p, "/"))
		}
	}
	return out
}

// compact merges every snapshot of dir, newest instance first, into out.
func compact(dir, out string) error {
	snaps, err := registry.LoadSnapshotDir(dir)
	if err != nil {
		return err
	}
	if len(snaps) == 0 {
		return errors.New("no snapshots in " + dir)
	}
	merged := registry.New(0)
	for i := len(snaps) - 1; i >= 0; i-- {
		merged.Restore(snaps[i])
	}
	snap := merged.TakeSnapshot()
	snap.Taken = snaps[0].Taken
	return registry.SaveSnapshot(out, snap)
}

// runWithProfile runs fn, with CPU profiling when path is set.
func runWithProfile(path string, fn func() error) error {
	stop := func() {}
	defer stop() // HAZ defer-eager-evaluation
	if path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		stop = func() {
			pprof.StopCPUProfile()
			if err := f.Close(); err != nil {
				log.Printf("close profile: %v", err)
			}
		}
	}
	return fn()
}
