package main

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"time"

	"example.com/kvreplication/internal/kv"
	"example.com/kvreplication/internal/raft"
	"example.com/kvreplication/internal/raftpb"
)

type api struct {
	node   *raft.Node
	store  *kv.Store
	logger *log.Logger
}

func newAPI(node *raft.Node, store *kv.Store, logger *log.Logger) *api {
	return &api{node: node, store: store, logger: logger}
}

func (a *api) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /kv/{key}", a.handleGet)
	mux.HandleFunc("PUT /kv/{key}", a.handlePut)
	mux.HandleFunc("DELETE /kv/{key}", a.handleDelete)
}

// redirect points the client at the leader, or reports that none is known.
func (a *api) redirect(w http.ResponseWriter, err error) bool {
	var nl *raftpb.NotLeaderError
	if !errors.As(err, &nl) {
		return false
	}
	if nl.Leader == "" {
		http.Error(w, "no leader", http.StatusServiceUnavailable)
		return true
	}
	w.Header().Set("X-Raft-Leader", nl.Leader)
	w.WriteHeader(http.StatusTemporaryRedirect)
	return true
}

func (a *api) handleGet(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	if _, err := a.node.ReadIndex(ctx); err != nil {
		if !a.redirect(w, err) {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
		}
		return
	}
	v, ok := a.store.Get(r.PathValue("key"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	if _, err := w.Write(v); err != nil {
		a.logger.Printf("kvnode: write get response: %v", err)
	}
}

func (a *api) propose(w http.ResponseWriter, r *http.Request, e raftpb.Entry) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	start := time.Now()
	defer func() { a.node.Recorder().Observe("api."+e.Kind.String(), time.Since(start)) }()
	if _, err := a.node.Propose(ctx, e); err != nil {
		if !a.redirect(w, err) {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
		}
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *api) handlePut(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a.propose(w, r, raftpb.Entry{Kind: raftpb.EntryPut, Key: r.PathValue("key"), Value: body})
}

func (a *api) handleDelete(w http.ResponseWriter, r *http.Request) {
	a.propose(w, r, raftpb.Entry{Kind: raftpb.EntryDelete, Key: r.PathValue("key")})
}
