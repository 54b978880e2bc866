// crt-exporter serves per-container cgroup metrics of the node.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/crt/internal/cgroup"
	"example.com/crt/internal/state"
)

func main() {
	addr := flag.String("listen", ":9324", "metrics listen address")
	root := flag.String("root", "/run/crt", "crtd state directory")
	cgroot := flag.String("cgroup-root", "/sys/fs/cgroup/crt", "cgroup subtree of the runtime")
	audit := flag.String("audit-url", "", "optional audit collector endpoint")
	every := flag.Duration("interval", 15*time.Second, "sampling interval")
	flag.Parse()
	logger := log.New(os.Stderr, "crt-exporter: ", log.LstdFlags)

	store, err := state.NewStore(filepath.Join(*root, "containers"))
	if err != nil {
		logger.Fatal(err)
	}
	cg, err := cgroup.NewManager(*cgroot, logger)
	if err != nil {
		logger.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Fatal(err)
	}
	pidPath := filepath.Join(*root, "crt-exporter.pid")
	if err := state.WritePIDFile(pidPath, os.Getpid()); err != nil {
		logger.Fatal(err)
	}
	defer state.RemovePIDFile(pidPath, os.Getpid())

	e := newExporter(store, cg, *audit, filepath.Join(*root, "exporter-cache.json"), logger)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if ids, err := store.IDs(); err == nil {
		e.warmup(ids)
	}
	go e.refreshLoop(ctx, *every)

	srv := &http.Server{Handler: e.routes(), ReadHeaderTimeout: 5 * time.Second}
	if err := srv.Serve(ln); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}
