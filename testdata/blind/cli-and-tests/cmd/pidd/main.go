// Command pidd is a small daemon: it holds a pid file, runs its jobs on
// an interval, serves a status API and a control socket, and shuts down
// cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/clitests/internal/cliutil"
	"example.com/clitests/internal/daemon"
	"example.com/clitests/internal/pidfile"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "pidd: %v\n", err)
		os.Exit(cliutil.ExitCode(err)) // ok: run has returned and its defers have run
	}
}

func run() (err error) {
	var (
		addr     = flag.String("addr", "127.0.0.1:8080", "status API address")
		ctlAddr  = flag.String("control", "127.0.0.1:8081", "control socket address")
		pidPath  = flag.String("pidfile", "/tmp/pidd.pid", "pid `file`")
		spool    = flag.String("spool", "", "spool `dir` to watch")
		interval = flag.Duration("interval", 30*time.Second, "job interval")
		grace    = flag.Duration("grace", 5*time.Second, "shutdown grace period")
		prof     cliutil.Profiles
	)
	flag.StringVar(&prof.CPU, "cpuprofile", "", "write a CPU profile to `file`")
	flag.StringVar(&prof.Mem, "memprofile", "", "write a heap profile to `file` on exit")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	stopProf, err := prof.Start()
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stopProf()) }()

	pf, err := pidfile.Write(*pidPath)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, pf.Remove()) }()

	logger := log.New(os.Stderr, "pidd: ", log.LstdFlags)
	d := daemon.New(daemon.Config{Interval: *interval, SpoolDir: *spool, Logger: logger})
	d.AddJob(daemon.Job{Name: "heartbeat-log", Run: func(context.Context) error {
		logger.Print("tick")
		return nil
	}})

	ln, err := net.Listen("tcp", *ctlAddr)
	if err != nil {
		return err
	}
	defer ln.Close()
	go d.ServeControl(ln)

	srv := &http.Server{Addr: *addr, Handler: d.Handler(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 2)
	go func() { errc <- srv.ListenAndServe() }() // ok: buffered
	go func() { errc <- d.Run(ctx) }()           // ok: buffered

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		logger.Print("shutting down")
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
