// Command blobd serves a store over JSON-RPC.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah18/jsonrpc"
	"example.com/fah18/store"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	dir := flag.String("dir", "", "data directory")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "blobd: -dir is required")
		os.Exit(2)
	}
	if err := run(*addr, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "blobd:", err)
		os.Exit(1)
	}
}

// run serves until SIGINT or SIGTERM and then shuts down gracefully.
func run(addr, dir string) (err error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	st, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Close()) }()

	srv := &http.Server{Addr: addr, Handler: newMux(st), ReadHeaderTimeout: 5 * time.Second}
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

// newMux wires the RPC methods to st.
func newMux(st *store.Store) http.Handler {
	rpc := jsonrpc.NewServer(5*time.Second, nil)
	rpc.Register("get", func(_ context.Context, params json.RawMessage) (any, error) {
		var key string
		if err := json.Unmarshal(params, &key); err != nil {
			return nil, err
		}
		v, ok := st.Get(key)
		if !ok {
			return nil, &jsonrpc.Error{Code: 404, Message: "no such key"}
		}
		return v, nil
	})
	rpc.Register("put", func(_ context.Context, params json.RawMessage) (any, error) {
		var kv struct {
			Key   string `json:"key"`
			Value []byte `json:"value"`
		}
		if err := json.Unmarshal(params, &kv); err != nil {
			return nil, err
		}
		return nil, st.Set(kv.Key, kv.Value)
	})
	mux := http.NewServeMux()
	mux.Handle("/rpc", rpc)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	return mux
}
