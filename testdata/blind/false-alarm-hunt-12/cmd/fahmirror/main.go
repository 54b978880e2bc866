// Command fahmirror serves a read-only mirror of a record store.
package main

import (
	"flag"
	"log/slog"
	"net/http"
	"os"
	"time"

	"example.com/fah12/internal/api"
	"example.com/fah12/internal/store"
)

func main() {
	addr := flag.String("listen", ":8081", "listen address")
	dir := flag.String("data", "./mirror", "mirror directory")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	st, err := store.Open(*dir, log)
	if err != nil {
		log.Error("open store", "err", err)
		os.Exit(1)
	}
	defer st.Close()
	journal := *dir + "/mirror.journal"
	defer func() {
		if err := store.AppendJournalChecked(journal, "mirror stopped"); err != nil {
			log.Error("journal", "err", err)
		}
	}()

	hs := &http.Server{
		Addr:              *addr,
		Handler:           api.NewServer(st, api.NewAuditClient("http://localhost:9090/events"), log).Routes(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	log.Info("mirror listening", "addr", *addr)
	if err := hs.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Error("serve", "err", err)
	}
}
