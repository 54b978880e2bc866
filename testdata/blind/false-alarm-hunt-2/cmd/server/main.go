// Command server runs the HTTP API and the RPC endpoint with graceful shutdown.
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
	"strings"
	"syscall"
	"time"

	"example.com/falsealarm2/middleware"
	"example.com/falsealarm2/rpc"
	"example.com/falsealarm2/telemetry"
	"example.com/falsealarm2/wal"
)

var (
	httpAddr = flag.String("http", ":8080", "HTTP listen address")
	rpcAddr  = flag.String("rpc", ":9090", "RPC listen address")
	walDir   = flag.String("wal", "data/wal", "write-ahead log directory")
)

func init() {
	if v := os.Getenv("SERVER_MODE"); v != "" && v != "dev" && v != "prod" {
		log.Fatalf("server: bad SERVER_MODE %q", v) // ok: init registers no defers
	}
}

func main() {
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "server: unexpected arguments %v\n", flag.Args())
		os.Exit(2) // ok: no defer registered yet
	}
	if err := run(); err != nil {
		log.Printf("server: %v", err)
		os.Exit(1) // ok: run() has returned and run its defers; main has none
	}
}

func run() (err error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger := log.New(os.Stderr, "server: ", log.LstdFlags)
	l, err := wal.Open(*walDir, 64<<20)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, l.Close()) }()

	reg := telemetry.NewRegistry()
	tracer := telemetry.NewTracer(4096)
	exp := telemetry.NewExporter(reg, os.Stdout, 30*time.Second, logger)
	exp.Start()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = errors.Join(err, exp.Stop(sctx))
	}()

	api := middleware.NewAPI(http.DefaultClient, os.Getenv("AUDIT_URL"), logger, func(ctx context.Context, q string) (string, error) {
		return strings.ToUpper(q), l.Append([]byte(q))
	})
	go api.RunAuditSender(ctx)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /lookup", api.Lookup)
	mux.HandleFunc("PUT /items/", api.Update)
	mux.HandleFunc("GET /stream", api.Stream)
	h := middleware.Chain(mux,
		middleware.Recover(logger),
		middleware.Logging(logger),
		middleware.Trace(tracer),
		middleware.Metrics(reg),
		middleware.Limit(256),
	)
	srv := &http.Server{Addr: *httpAddr, Handler: h, ReadHeaderTimeout: 5 * time.Second}

	rs := rpc.NewServer(logger)
	rs.Use(rpc.Recovery(), rpc.Logging(logger), rpc.Tracing(tracer))
	lis, err := net.Listen("tcp", *rpcAddr)
	if err != nil {
		return err
	}

	errc := make(chan error, 2) // ok: one slot per serving goroutine
	go func() { errc <- srv.ListenAndServe() }()
	go func() { errc <- rs.Serve(lis) }()

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, rpc.ErrServerStopped) {
			return err
		}
	case <-ctx.Done():
		logger.Printf("shutting down")
	}

	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return errors.Join(srv.Shutdown(sctx), rs.GracefulStop(sctx))
}
