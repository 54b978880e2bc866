// Command agentd runs the agent: admin API, shipper and spool store.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"time"

	"example.com/up18/internal/httpapi"
	"example.com/up18/internal/lifecycle"
	"example.com/up18/internal/registry"
	"example.com/up18/internal/spool"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8089", "admin API address")
	dir := flag.String("spool", "/var/spool/up18", "spool directory")
	flag.Parse()
	if err := run(*addr, *dir); err != nil {
		log.Fatal(err)
	}
}

// run owns every resource of the process; its defers run on SIGTERM too,
// because lifecycle.WithSignals turns the signal into ctx cancellation.
func run(addr, dir string) (err error) {
	ctx, stop := lifecycle.WithSignals(context.Background())
	defer stop()

	store, err := spool.OpenStore(dir)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()

	api := httpapi.NewServer(registry.New(256), httpapi.LogAuditor{})
	srv := &http.Server{Addr: addr, Handler: api.Routes(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
