// Command shipperd ships log files to the ingest service.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"example.com/daemons/shipper"
)

func main() {
	var (
		files       = flag.String("files", "/var/log/app/app.log", "comma-separated files to ship")
		spoolDir    = flag.String("spool", "/var/spool/shipperd", "spool and checkpoint directory")
		endpoint    = flag.String("endpoint", "http://ingest:9000/v1/logs", "ingest URL")
		metricsAddr = flag.String("metrics-addr", ":9100", "health and metrics address")
	)
	flag.Parse()
	logger := log.New(os.Stderr, "shipperd ", log.LstdFlags)

	if err := os.MkdirAll(*spoolDir, 0o755); err != nil {
		log.Fatalf("shipperd: %v", err) // ok: nothing deferred yet
	}

	sh := &shipper.Shipper{
		Tailer:  shipper.NewTailer(250*time.Millisecond, logger),
		Batcher: &shipper.Batcher{MaxLines: 500, MaxWait: 2 * time.Second},
		Uploader: &shipper.Uploader{
			Endpoint:    *endpoint,
			Client:      &http.Client{},
			Timeout:     10 * time.Second,
			MaxAttempts: 5,
			BaseBackoff: 200 * time.Millisecond,
			MaxBackoff:  30 * time.Second,
			Log:         logger,
		},
		SpoolDir: *spoolDir,
		Log:      logger,
	}
	if err := sh.Tailer.LoadOffsets(*spoolDir); err != nil && !errors.Is(err, os.ErrNotExist) {
		logger.Printf("offsets: %v (starting from the beginning)", err)
	}
	defer func() {
		if err := sh.Flush(); err != nil {
			logger.Printf("save offsets: %v", err)
		}
	}()

	go func() {
		if err := sh.Uploader.DrainSpool(context.Background(), *spoolDir); err != nil {
			logger.Printf("drain spool: %v", err)
		}
		if err := sh.Run(context.Background(), strings.Split(*files, ",")); err != nil {
			logger.Printf("run: %v", err)
		}
	}()

	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	if err := http.ListenAndServe(*metricsAddr, nil); err != nil { // HAZ signal-skips-defer
		logger.Printf("shipperd: %v", err)
	}
}
