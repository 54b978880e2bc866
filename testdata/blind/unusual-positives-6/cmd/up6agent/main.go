// Command up6agent watches keyed files and serves its metrics until it is
// told to stop.
package main

import (
	"context"
	"errors"
	"flag"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/up6/internal/lifecycle"
	"example.com/up6/internal/obs"
	"example.com/up6/internal/watcher"
)

func scanDir(dir string) func() []watcher.Update {
	return func() []watcher.Update {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil
		}
		var out []watcher.Update
		for _, e := range entries {
			info, err := e.Info()
			if err != nil || !info.Mode().IsRegular() {
				continue
			}
			out = append(out, watcher.Update{Key: e.Name(), Path: filepath.Join(dir, e.Name()), Version: int(info.ModTime().Unix())})
		}
		return out
	}
}

func main() {
	dir := flag.String("dir", "/etc/up6/keys", "directory to watch")
	addr := flag.String("metrics", "127.0.0.1:9107", "metrics listen address")
	flag.Parse()
	logger := obs.Logger("up6agent: ")

	ctx, stop := lifecycle.SignalContext(context.Background())
	defer stop()

	w := watcher.New(logger, 128)
	w.StartWorkers(4)
	defer w.Close()
	go w.Poll(ctx, 10*time.Second, scanDir(*dir))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Printf("metrics disabled: %v", err)
		<-ctx.Done()
		return
	}
	srv := &http.Server{Handler: http.NotFoundHandler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("metrics: %v", err)
		}
	}()
	<-ctx.Done()
	if err := lifecycle.ShutdownWithin(srv, 5*time.Second); err != nil {
		logger.Printf("shutdown: %v", err)
	}
}
