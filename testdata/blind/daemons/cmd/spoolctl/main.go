// Command spoolctl inspects and drains the shipperd spool directory.
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
	"path/filepath"
	"syscall"
	"time"

	"example.com/daemons/shipper"
)

func main() {
	code := 0
	defer func() { os.Exit(code) }() // ok: registered first, so it runs after every other defer

	var (
		dir      = flag.String("spool", "/var/spool/shipperd", "spool directory")
		endpoint = flag.String("endpoint", "http://ingest:9000/v1/logs", "ingest URL")
		addr     = flag.String("addr", "127.0.0.1:9101", "address for `serve`")
	)
	flag.Parse()
	logger := log.New(os.Stderr, "spoolctl ", log.LstdFlags)

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigc)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case s := <-sigc:
			logger.Printf("got %v, stopping", s)
			cancel()
		case <-ctx.Done():
		}
	}()

	switch flag.Arg(0) {
	case "ls":
		files, err := filepath.Glob(filepath.Join(*dir, "batch-*.jsonl.gz"))
		if err != nil {
			logger.Print(err)
			code = 1
			return
		}
		for _, f := range files {
			fmt.Println(f)
		}
	case "compress":
		n, err := shipper.CompressRotated(filepath.Join(*dir, "*.log.[0-9]*"))
		fmt.Printf("compressed %d files\n", n)
		if err != nil {
			logger.Print(err)
			code = 1
		}
	case "drain":
		up := &shipper.Uploader{
			Endpoint:    *endpoint,
			Client:      &http.Client{},
			Timeout:     10 * time.Second,
			MaxAttempts: 3,
			BaseBackoff: time.Second,
			MaxBackoff:  10 * time.Second,
			Log:         logger,
		}
		if err := up.DrainSpool(ctx, *dir); err != nil {
			logger.Printf("drain: %v", err)
			code = 1
		}
	case "serve":
		mux := http.NewServeMux()
		mux.HandleFunc("/pending", func(w http.ResponseWriter, r *http.Request) {
			files, _ := filepath.Glob(filepath.Join(*dir, "batch-*.jsonl.gz"))
			fmt.Fprintf(w, "%d\n", len(files))
		})
		srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		go func() {
			<-ctx.Done()
			sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer scancel()
			srv.Shutdown(sctx)
		}()
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // ok: SIGTERM is handled above
			logger.Printf("serve: %v", err)
			code = 1
		}
	default:
		fmt.Fprintln(os.Stderr, "usage: spoolctl [flags] ls|compress|drain|serve")
		code = 2
	}
}
