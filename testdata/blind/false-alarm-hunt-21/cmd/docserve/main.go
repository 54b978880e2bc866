// Command docserve serves the generated tree for browsing during
// development.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/fah21/internal/devserver"
)

func main() {
	addr := flag.String("addr", "localhost:6061", "listen address")
	root := flag.String("root", "internal/generated", "directory to serve")
	flag.Parse()

	logger := log.New(os.Stderr, "docserve: ", log.LstdFlags)
	srv := devserver.New(*root, logger)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv.Start(ctx)

	pidFile := filepath.Join(os.TempDir(), "docserve.pid")
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		logger.Print(err)
		return
	}
	defer os.Remove(pidFile)

	hs := &http.Server{Addr: *addr, Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second}
	logger.Printf("serving %s on http://%s", *root, *addr)
	if err := hs.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Print(err)
	}
}
