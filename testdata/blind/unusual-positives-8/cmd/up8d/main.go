// Command up8d serves the up8 blob store.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up8/internal/api"
	"example.com/up8/internal/fsutil"
	"example.com/up8/internal/trace"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	auditPath := flag.String("audit", "", "audit log file (default: stderr)")
	ttl := flag.Duration("ttl", time.Hour, "blob lifetime")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: up8d [flags]")
		flag.PrintDefaults()
		os.Exit(2)
	}
	flag.Parse()

	code := 0
	defer func() { os.Exit(code) }()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	auditOut, closeAudit, err := openAudit(*auditPath)
	if err != nil {
		log.Printf("up8d: %v", err)
		code = 1
		return
	}
	defer closeAudit()
	aud := api.NewBatchAuditor(auditOut, 1024)
	defer aud.Close()

	cfg := api.Config{
		TTL:          *ttl,
		UploadsPerIP: 100,
		Backend:      func(context.Context) error { return nil },
		BackendName:  "memory",
		ProbeTimeout: 2 * time.Second,
	}
	s := api.NewServer(cfg, aud, trace.NewLogTracer(log.Default()), log.Default())
	srv := &http.Server{Addr: *addr, Handler: s.Routes(), ReadHeaderTimeout: 5 * time.Second}

	shutdownDone := make(chan struct{})
	go func() {
		defer close(shutdownDone)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Printf("up8d: shutdown: %v", err)
		}
	}()
	log.Printf("up8d: listening on %s", *addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Printf("up8d: %v", err)
		code = 1
		stop()
	}
	<-shutdownDone
}

// openAudit returns the audit destination and the function that closes it.
func openAudit(path string) (io.Writer, func(), error) {
	if path == "" {
		return os.Stderr, func() {}, nil
	}
	f, err := fsutil.Append(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open audit log: %w", err)
	}
	return f, func() {
		if err := f.Close(); err != nil {
			log.Printf("up8d: close audit log: %v", err)
		}
	}, nil
}
