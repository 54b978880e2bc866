// Command mirror runs a read-mostly replica of the artifact store.
package main

import (
	"flag"
	"net/http"
	"os"
	"time"

	"example.com/fah17/internal/index"
	"example.com/fah17/internal/obs"
	"example.com/fah17/internal/server"
	"example.com/fah17/internal/store"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	root := flag.String("root", "/var/lib/artifacts-mirror", "store root directory")
	level := flag.String("log", "info", "log level")
	flag.Parse()
	logger := obs.NewLogger(os.Stderr, *level)

	st, err := store.Open(*root, store.Options{Logger: logger})
	if err != nil {
		logger.Error("open store", "err", err)
		os.Exit(1)
	}
	defer func() {
		if err := st.Close(); err != nil {
			logger.Error("close store", "err", err)
		}
	}()

	srv := server.New(st, index.New(logger, nil), logger, nil)
	hs := &http.Server{Addr: *addr, Handler: srv.Routes(), ReadHeaderTimeout: 10 * time.Second}
	logger.Info("mirror listening", "addr", *addr)
	if err := hs.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Error("serve", "err", err)
	}
}
