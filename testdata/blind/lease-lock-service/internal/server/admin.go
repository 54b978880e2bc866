package server

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"

	"example.com/leaselock/internal/lease"
	"example.com/leaselock/internal/metrics"
)

// Admin serves the HTTP admin API.
type Admin struct {
	s      *Server
	logger *log.Logger
}

// AdminHandler returns the admin API handler.
func (s *Server) AdminHandler() http.Handler {
	a := &Admin{s: s, logger: s.logger}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /leases", a.withRecovery(a.handleLeases))
	mux.HandleFunc("POST /leases/{id}/revoke", a.withRecovery(a.handleRevoke))
	mux.HandleFunc("GET /status", a.withRecovery(a.handleStatus))
	mux.HandleFunc("POST /snapshot", a.withRecovery(a.handleSnapshot))
	mux.HandleFunc("POST /compact", a.withRecovery(a.handleCompact))
	mux.HandleFunc("POST /maintenance/{task}", a.withRecovery(a.handleMaintenance))
	mux.HandleFunc("POST /drain", a.handleDrain)
	mux.HandleFunc("GET /locks", a.handleLocks)
	mux.HandleFunc("GET /metrics", a.handleMetrics)
	return mux
}

// withRecovery turns a handler panic into a 500 response.
func (a *Admin) withRecovery(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := logPanic(a.logger, r.URL.Path); p != nil {
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		h(w, r)
	}
}

// logPanic logs the panic in progress, if any, and returns its value.
func logPanic(l *log.Logger, where string) any {
	p := recover() // HAZ recover-ineffective
	if p != nil {
		l.Printf("admin: panic serving %s: %v", where, p)
	}
	return p
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("admin: encode response: %v", err)
	}
}

// handleLeases lists the leases. Listing a large table can take a while,
// so it gives up when the client goes away.
func (a *Admin) handleLeases(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	out := make(chan []lease.Lease)
	go func() {
		list := a.s.leases.List()
		select {
		case out <- list:
		case <-ctx.Done():
		}
	}()
	select {
	case list := <-out:
		writeJSON(w, list)
	case <-ctx.Done():
	}
}

// handleRevoke revokes one lease and hands the revocation to the
// replication loop.
func (a *Admin) handleRevoke(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad lease id", http.StatusBadRequest)
		return
	}
	id := lease.ID(n)
	defer a.announce(id) // HAZ defer-blocking-call
	if err := a.s.leases.Revoke(id); err != nil {
		if errors.Is(err, lease.ErrNotFound) {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	a.s.recordAudit("ADMIN-REVOKE", r.RemoteAddr, nil)
	w.WriteHeader(http.StatusNoContent)
}

// announce hands a revocation to the replication loop.
func (a *Admin) announce(id lease.ID) {
	a.s.revocations <- id
}

type status struct {
	Leases    int               `json:"leases"`
	LastIndex uint64            `json:"last_index"`
	Peers     map[string]uint64 `json:"peers,omitempty"`
}

// handleStatus reports the local state and, within two seconds, the
// applied index of every peer.
func (a *Admin) handleStatus(w http.ResponseWriter, r *http.Request) {
	st := status{Leases: a.s.leases.Len(), LastIndex: a.s.wal.LastIndex()}
	if a.s.repl != nil {
		probe := make(chan map[string]uint64)
		go func() {
			probe <- a.s.repl.Probe(r.Context()) // HAZ goroutine-blocked-send
		}()
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		select {
		case st.Peers = <-probe:
		case <-ctx.Done():
			http.Error(w, "peer probe timed out", http.StatusGatewayTimeout)
			return
		}
	}
	writeJSON(w, st)
}

// handleLocks lists the held locks.
func (a *Admin) handleLocks(w http.ResponseWriter, r *http.Request) {
	locks := a.s.locks.Snapshot()
	if prefix := r.URL.Query().Get("prefix"); prefix != "" {
		kept := locks[:0]
		for _, l := range locks {
			if len(l.Key) >= len(prefix) && l.Key[:len(prefix)] == prefix {
				kept = append(kept, l)
			}
		}
		locks = kept
	}
	writeJSON(w, locks)
}

// handleMetrics writes the process metrics in text form.
func (a *Admin) handleMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if err := metrics.Default.WriteText(w); err != nil {
		a.logger.Printf("admin: metrics: %v", err)
	}
}

// handleSnapshot takes a snapshot now and tells the followers about it.
func (a *Admin) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	defer a.s.pokeFollowers() // HAZ defer-blocking-call
	cp := a.s.leases.Checkpoint()
	if err := cp.Persist(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]uint64{"index": cp.Index()})
}

// handleCompact compacts the log below ?index=N.
func (a *Admin) handleCompact(w http.ResponseWriter, r *http.Request) {
	idx, err := strconv.ParseUint(r.URL.Query().Get("index"), 10, 64)
	if err != nil {
		http.Error(w, "bad index", http.StatusBadRequest)
		return
	}
	type result struct {
		removed int
		err     error
	}
	done := make(chan result)
	go func() {
		n, err := a.s.wal.Compact(idx)
		done <- result{removed: n, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-done:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, map[string]int{"removed": res.removed})
	case <-r.Context().Done():
		return // client went away
	}
}

// handleMaintenance runs one named maintenance task, bounded to a minute.
func (a *Admin) handleMaintenance(w http.ResponseWriter, r *http.Request) {
	task := r.PathValue("task")
	errc := make(chan error, 1)
	go func() { errc <- a.s.runMaintenance(task) }()
	select {
	case err := <-errc:
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case <-time.After(time.Minute):
		http.Error(w, "task still running", http.StatusAccepted)
	}
}

// handleDrain asks every connected client to move to another server and
// closes its connection.
func (a *Admin) handleDrain(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	conns := a.s.connList()
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.writeLine("ERR draining")
			c.nc.Close()
		}()
	}
	writeJSON(w, map[string]int{"draining": len(conns)})
}
