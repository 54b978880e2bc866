// Command rpcgateway serves the REST gateway in front of the RPC services.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"time"

	"example.com/rpcservices/gateway"
	"example.com/rpcservices/health"
	"example.com/rpcservices/registry"
	"example.com/rpcservices/trace"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	registryURL := flag.String("registry", "http://127.0.0.1:7070", "registry base URL")
	routesPath := flag.String("routes", "routes.json", "route table (- for stdin)")
	spansPath := flag.String("spans", "", "append finished spans to this file")
	check := flag.Bool("check", false, "check that every routed service resolves, then exit")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: rpcgateway [flags]\n")
		flag.PrintDefaults()
		os.Exit(2)
	}
	flag.Parse()

	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	routes, err := loadRoutes(*routesPath)
	if err != nil {
		log.Fatalf("load routes: %v", err)
	}
	resolver := registry.NewResolver(*registryURL, nil, 5*time.Second)
	tracer := newTracer(*spansPath)
	if *check {
		checkBackends(tracer, resolver, routes)
		return
	}
	defer tracer.Close(context.Background())

	gw := gateway.New(resolver, tracer, logger)
	gw.SetRoutes(routes)
	hs := health.NewServer()
	mux := http.NewServeMux()
	mux.Handle("/", gw)
	mux.Handle("/healthz", hs)
	mux.HandleFunc("/healthz/watch", hs.HandleWatch)
	mux.HandleFunc("/debug/spans", gw.DebugSpans)
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	logger.Info("gateway listening", "addr", *addr, "routes", len(routes))
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		logger.Error("serve", "err", err)
	}
}

func newTracer(spansPath string) *trace.Tracer {
	var exp trace.Exporter = &trace.MemoryExporter{}
	if spansPath != "" {
		exp = trace.NewFileExporter(spansPath)
	}
	return trace.NewTracer(4096, exp)
}

func loadRoutes(path string) ([]gateway.Route, error) {
	if path == "-" {
		return gateway.DecodeRoutes(os.Stdin)
	}
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("open route table: %w", err)
	}
	return gateway.DecodeRoutes(f)
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "rpcgateway: "+format+"\n", args...)
	os.Exit(1)
}

// checkBackends resolves every routed service, tracing each lookup.
func checkBackends(tracer *trace.Tracer, resolver *registry.Resolver, routes []gateway.Route) {
	defer tracer.Flush(context.Background())
	for _, rt := range routes {
		ctx, span := tracer.Start(context.Background(), "check "+rt.Service)
		insts, err := resolver.Resolve(ctx, rt.Service)
		span.Finish(err)
		if err != nil || len(insts) == 0 {
			fatalf("service %s of route %s has no instances (%v)", rt.Service, rt.Key(), err) // HAZ exit-skips-defer
		}
		fmt.Printf("%-40s %s: %d instances\n", rt.Key(), rt.Service, len(insts))
	}
}
