// Command muxd is an echo server speaking the stream multiplexing protocol.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/netsrv/mux"
)

func echo(ctx context.Context, st *mux.Stream) {
	_ = st.SetDeadline(time.Now().Add(5 * time.Minute))
	if _, err := io.Copy(st, st); err != nil && !errors.Is(err, mux.ErrSessionShutdown) {
		log.Printf("muxd: stream %d: %v", st.ID(), err)
	}
}

func main() {
	addr := flag.String("addr", ":7000", "listen address")
	grace := flag.Duration("grace", 10*time.Second, "shutdown grace period")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("muxd: %v", err) // ok: nothing deferred yet
	}
	if err := run(ln, *grace); err != nil {
		log.Printf("muxd: %v", err)
		os.Exit(1) // ok: main itself defers nothing; run's defers have already run
	}
}

func run(ln net.Listener, grace time.Duration) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer ln.Close()

	srv := &mux.Server{Config: mux.DefaultConfig(), Handler: echo}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ctx, ln) }()
	log.Printf("muxd: listening on %s", ln.Addr())

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	return srv.Shutdown(sctx)
}
