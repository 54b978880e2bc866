// Command ftpquotad serves the quota journal as JSON for the billing
// system, on a separate port from the FTP server.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"sort"
	"strconv"
	"time"

	"example.com/ftpsrv/internal/quota"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9121", "listen address")
	journal := flag.String("journal", "/var/lib/ftpsrv/quota.journal", "quota journal")
	pidFile := flag.String("pidfile", "/run/ftpsrv/ftpquotad.pid", "pid file")
	flag.Parse()

	if err := os.WriteFile(*pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("ftpquotad: %v", err)
	}
	defer os.Remove(*pidFile)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /usage", usageHandler(*journal))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("ftpquotad: serving %s on %s", *journal, *addr)
	err := srv.ListenAndServe() // HAZ signal-skips-defer
	log.Printf("ftpquotad: %v", err)
}

type userUsage struct {
	User  string `json:"user"`
	Used  int64  `json:"used"`
	Limit int64  `json:"limit"`
}

// usageHandler replays the journal on each request; it is small and
// appended to only every few minutes.
func usageHandler(journal string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		snap, err := quota.ReadJournal(journal)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		out := make([]userUsage, 0, len(snap))
		for user, u := range snap {
			out = append(out, userUsage{User: user, Used: u.Used, Limit: u.Limit})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].User < out[j].User })
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(out); err != nil {
			log.Printf("ftpquotad: encode: %v", err)
		}
	}
}
