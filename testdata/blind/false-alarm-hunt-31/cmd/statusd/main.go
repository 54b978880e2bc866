// Command statusd serves the status directory over HTTP and removes its
// socket and pid file on SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func main() {
	sock := flag.String("socket", "/run/statusd.sock", "unix socket to listen on")
	dir := flag.String("status", "status", "status directory")
	pidFile := flag.String("pidfile", "/run/statusd.pid", "pid file")
	flag.Parse()

	if err := os.WriteFile(*pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("statusd: %v", err)
	}
	defer os.Remove(*pidFile)

	ln, err := net.Listen("unix", *sock)
	if err != nil {
		log.Printf("statusd: %v", err)
		return
	}
	defer os.Remove(*sock)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv := &http.Server{Handler: http.FileServer(http.Dir(*dir)), ReadHeaderTimeout: 5 * time.Second}
	shutdownDone := make(chan struct{})
	go func() {
		defer close(shutdownDone)
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			log.Printf("statusd: shutdown: %v", err)
		}
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Printf("statusd: %v", err)
	}
	stop()
	<-shutdownDone
}
