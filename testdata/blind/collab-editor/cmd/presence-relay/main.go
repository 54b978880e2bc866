// Command presence-relay exposes the presence tracker over a unix socket for
// sidecars (avatars, "who is here" badges) that cannot speak the live
// protocol.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"example.com/collab/internal/httpapi"
	"example.com/collab/internal/presence"
)

func main() {
	sock := flag.String("socket", "/run/collab/presence.sock", "unix socket to listen on")
	every := flag.Duration("sweep", time.Minute, "sweep interval")
	idle := flag.Duration("idle", 5*time.Minute, "drop cursors idle this long")
	flag.Parse()

	if err := os.Remove(*sock); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Fatalf("presence-relay: removing stale socket: %v", err)
	}
	ln, err := net.Listen("unix", *sock)
	if err != nil {
		log.Fatalf("presence-relay: %v", err)
	}
	defer ln.Close() // also unlinks the socket file

	t := presence.NewTracker()
	go t.SweepForever(*every, *idle)

	mux := http.NewServeMux()
	mux.HandleFunc("/cursors", cursorsHandler(t))
	mux.HandleFunc("/update", updateHandler(t))
	mux.HandleFunc("/poll", pollHandler(t))
	log.Printf("presence-relay: listening on %s", *sock)
	log.Fatal(http.Serve(ln, httpapi.AccessLog(mux))) // HAZ exit-skips-defer signal-skips-defer
}

func cursorsHandler(t *presence.Tracker) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		docID := r.URL.Query().Get("doc")
		if docID == "" {
			http.Error(w, "missing doc", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(t.Cursors(docID))
	}
}

func updateHandler(t *presence.Tracker) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		var ev presence.Event
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&ev); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if ev.DocID == "" || ev.Client == "" {
			http.Error(w, "doc and client are required", http.StatusBadRequest)
			return
		}
		t.Update(ev)
		w.WriteHeader(http.StatusNoContent)
	}
}

// pollHandler long-polls for the next presence event of a document.
func pollHandler(t *presence.Tracker) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		docID := r.URL.Query().Get("doc")
		if docID == "" {
			http.Error(w, "missing doc", http.StatusBadRequest)
			return
		}
		sub := t.Subscribe(docID, r.RemoteAddr, 1)
		timer := time.NewTimer(25 * time.Second)
		var (
			ev  presence.Event
			got bool
		)
		select {
		case ev = <-sub.C:
			got = true
		case <-timer.C:
		case <-r.Context().Done():
		}
		timer.Stop()
		t.Unsubscribe(docID, sub)
		if !got {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(ev)
	}
}
