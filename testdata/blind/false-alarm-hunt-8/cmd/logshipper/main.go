// Command logshipper follows a log file into a rotated sink and serves a
// health endpoint until SIGINT or SIGTERM.
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

	"example.com/falsealarm8/logx"
)

func main() {
	src := flag.String("src", "app.log", "file to follow")
	dst := flag.String("dst", "shipped.log", "sink file")
	addr := flag.String("addr", "127.0.0.1:9102", "health endpoint")
	flag.Parse()

	sink, err := logx.OpenFileSink(*dst, 128<<20)
	if err != nil {
		log.Fatalf("logshipper: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer func() {
		if err := sink.Close(); err != nil {
			log.Printf("logshipper: close sink: %v", err)
		}
	}()

	logger := logx.New(sink, logx.LevelInfo)
	go func() {
		if err := logger.TailContext(ctx, *src, time.Second); err != nil && !errors.Is(err, context.Canceled) {
			log.Printf("logshipper: tail: %v", err)
		}
	}()

	srv := &http.Server{Addr: *addr, Handler: http.HandlerFunc(health), ReadHeaderTimeout: 5 * time.Second}
	idle := make(chan struct{})
	go func() {
		defer close(idle)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Printf("logshipper: shutdown: %v", err)
		}
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Printf("logshipper: %v", err)
		return
	}
	<-idle
}

func health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprintln(w, "ok")
}
