// Command previewd serves live previews of generator output and shuts down
// cleanly on SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah21/internal/devserver"
	"example.com/fah21/internal/gen"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "previewd:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "localhost:6062", "listen address")
	root := flag.String("root", "internal/generated", "generated tree")
	tmplDir := flag.String("templates", "templates", "template directory")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger := log.New(os.Stderr, "previewd: ", log.LstdFlags)
	g, err := gen.New(os.TempDir(), *tmplDir, os.Stderr)
	if err != nil {
		return err
	}
	srv := devserver.New(*root, logger)
	srv.SetRenderer(func(name string) ([]byte, error) {
		return g.Preview(gen.Spec{Name: name, Package: "preview", Template: name + ".tmpl", Out: name + ".go"})
	})
	srv.Start(ctx)

	hs := &http.Server{Addr: *addr, Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	logger.Printf("previews on http://%s", *addr)

	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	logger.Print("shutting down: ", srv.Summary())
	return hs.Shutdown(shutdownCtx)
}
