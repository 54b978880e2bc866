package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"example.com/up22/internal/safe"
)

func (s *Server) handleWarm(w http.ResponseWriter, r *http.Request) {
	defer func() { // HAZ goroutine-outside-recover
		if v := recover(); v != nil {
			s.log.Printf("warm: %v", v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	var keys []string
	if err := json.NewDecoder(r.Body).Decode(&keys); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	go s.warmAll(keys)
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) handleWarmSafe(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Printf("warm: %v", v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	var keys []string
	if err := json.NewDecoder(r.Body).Decode(&keys); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	go func() {
		defer s.logPanic("warm")
		s.warmAll(keys)
	}()
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) logPanic(op string) {
	if v := recover(); v != nil {
		safe.Panics.Add(1)
		s.log.Printf("%s: panic: %v", op, v)
	}
}

func (s *Server) warmAll(keys []string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, k := range keys {
		b, err := s.origin(ctx, k)
		if err != nil {
			s.log.Printf("warm %s: %v", k, err)
			continue
		}
		s.tiles.Set(k, b)
	}
}

// handlePut stores a tile and answers once the persister has written it.
func (s *Server) handlePut(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.tiles.Set(r.PathValue("key"), b)
	s.markDirty()
	defer s.awaitPersisted() // HAZ defer-blocking-call
	w.WriteHeader(http.StatusCreated)
}

// handlePutAsync stores a tile and nudges the persister without waiting.
func (s *Server) handlePutAsync(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.tiles.Set(r.PathValue("key"), b)
	s.markDirty()
	defer s.kick()
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) markDirty() {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	s.pending++
}

func (s *Server) awaitPersisted() {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	for s.pending > 0 {
		s.persisted.Wait()
	}
}

func (s *Server) kick() {
	select {
	case s.flushReq <- struct{}{}:
	default:
	}
}

// Persist runs the persister until ctx ends, calling save for every batch of
// dirty tiles.
func (s *Server) Persist(ctx context.Context, every time.Duration, save func() error) error {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		case <-s.flushReq:
		}
		if err := save(); err != nil {
			s.log.Printf("persist: %v", err)
			continue
		}
		s.pmu.Lock()
		s.pending = 0
		s.persisted.Broadcast()
		s.pmu.Unlock()
	}
}
