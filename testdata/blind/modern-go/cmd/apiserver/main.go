// Command apiserver serves the item API.
package main

import (
	"errors"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"time"

	"example.com/moderngo/httpapi"
	"example.com/moderngo/store"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	dir := flag.String("data", "data", "data directory")
	flag.Parse()

	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	st, err := store.Open(*dir)
	if err != nil {
		log.Error("open store", "err", err)
		os.Exit(1) // ok: no defer registered yet
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("close store", "err", err)
		}
	}()

	api := httpapi.New(log, &httpapi.Config{UploadDir: *dir, MaxUpload: 32 << 20, SearchWait: 2 * time.Second})
	srv := &http.Server{
		Addr:              *addr,
		Handler:           api.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	log.Info("listening", "addr", *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Error("serve", "err", err)
	}
}
