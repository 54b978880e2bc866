package api

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// handleWarm reindexes the given keys concurrently.
func (s *Server) handleWarm(w http.ResponseWriter, r *http.Request) {
	keys := r.URL.Query()["key"]
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for _, k := range keys {
		wg.Add(1)
		go func(k string) {
			defer wg.Done()
			s.reindex(k)
		}(k)
	}
	w.WriteHeader(http.StatusAccepted)
}

// handleWarmWait is handleWarm that finishes the work before answering,
// bounded by the request's context.
func (s *Server) handleWarmWait(w http.ResponseWriter, r *http.Request) {
	keys := r.URL.Query()["key"]
	done := make(chan struct{})
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		for _, k := range keys {
			wg.Add(1)
			go func(k string) {
				defer wg.Done()
				s.reindex(k)
			}(k)
		}
		wg.Wait()
	}()
	select {
	case <-done:
		w.WriteHeader(http.StatusNoContent)
	case <-r.Context().Done():
	}
}

// handleSize answers with the decoded size of a blob, or 504 after two
// seconds.
func (s *Server) handleSize(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/size/")
	ch := make(chan int64)
	go func() {
		n, err := s.store.Size(key)
		if err != nil {
			n = -1
		}
		ch <- n // HAZ goroutine-blocked-send
	}()
	select {
	case n := <-ch:
		fmt.Fprintf(w, "%d\n", n)
	case <-r.Context().Done():
	case <-time.After(2 * time.Second):
		http.Error(w, "timeout", http.StatusGatewayTimeout)
	}
}

// handleStat is handleSize with a one-slot channel, so the goroutine can
// always deliver and exit.
func (s *Server) handleStat(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/stat/")
	ch := make(chan int64, 1)
	go func() {
		n, err := s.store.Size(key)
		if err != nil {
			n = -1
		}
		ch <- n
	}()
	select {
	case n := <-ch:
		fmt.Fprintf(w, "%d\n", n)
	case <-r.Context().Done():
	case <-time.After(2 * time.Second):
		http.Error(w, "timeout", http.StatusGatewayTimeout)
	}
}
