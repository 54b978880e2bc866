package server

import (
	"context"
	"log"
	"math/rand"
	"time"

	"example.com/dnsproxy/internal/cache"
	"example.com/dnsproxy/internal/dnsmsg"
	"example.com/dnsproxy/internal/querylog"
)

// Answer resolves a raw query for the DoH endpoint.
func (s *Server) Answer(ctx context.Context, raw []byte, client string) ([]byte, error) {
	resp := s.answer(ctx, raw, client, "doh")
	if resp == nil {
		return nil, errNotQuery
	}
	return resp, nil
}

// answer produces the wire response to raw, or nil when nothing should be
// sent back.
func (s *Server) answer(ctx context.Context, raw []byte, client, proto string) []byte {
	start := time.Now()
	m, err := s.parseQuery(raw)
	if err != nil || m == nil {
		s.metrics.Counter("queries_malformed").Inc()
		resp, _ := dnsmsg.ErrorResponse(raw, dnsmsg.RcodeFormErr)
		return resp
	}
	q := m.Questions[0]
	entry := querylog.Entry{Time: start, Client: client, Proto: proto, Name: q.Name, Type: q.Type}
	var resp []byte
	if s.block.Blocked(q.Name) {
		entry.Blocked = true
		resp, err = dnsmsg.ErrorResponse(raw, dnsmsg.RcodeNXDomain)
	} else {
		resp, entry.Cached, err = s.resolve(ctx, m)
	}
	if err != nil {
		resp, _ = dnsmsg.ErrorResponse(raw, dnsmsg.RcodeServFail)
	}
	entry.Rcode = dnsmsg.Rcode(resp)
	entry.Duration = time.Since(start)
	s.qlog.Log(entry)
	s.metrics.Counter("queries_" + proto).Inc()
	s.notifyHooks(Event{Name: q.Name, Client: client, Rcode: entry.Rcode, Blocked: entry.Blocked, Cached: entry.Cached})
	return resp
}

// parseQuery accepts only standard queries with exactly one question.
func (s *Server) parseQuery(raw []byte) (m *dnsmsg.Message, err error) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// ignore: the caller answers FORMERR when m is nil
		}
	}()
	m, err = dnsmsg.Parse(raw)
	if err != nil {
		return nil, err
	}
	if m.Header.Response() || len(m.Questions) != 1 {
		return nil, errNotQuery
	}
	return m, nil
}

// resolve answers from the cache or forwards and caches the answer.
func (s *Server) resolve(ctx context.Context, m *dnsmsg.Message) ([]byte, bool, error) {
	defer s.metrics.Timer("resolve_seconds") // HAZ defer-func-result-not-called
	q := m.Questions[0]
	key := cache.Key(q.Name, q.Type)
	if resp, ok := s.cache.Get(key); ok {
		dnsmsg.SetID(resp, m.Header.ID)
		return resp, true, nil
	}
	resp, err := s.forward(ctx, m.Raw, q.Name)
	if err != nil {
		return nil, false, err
	}
	s.store(key, resp)
	return resp, false, nil
}

// store caches resp for the smallest TTL it carries.
func (s *Server) store(key string, resp []byte) {
	if dnsmsg.Rcode(resp) == dnsmsg.RcodeServFail {
		return
	}
	if ttl, ok := dnsmsg.MinTTL(resp); ok {
		s.cache.Set(key, resp, time.Duration(ttl)*time.Second)
	}
}

// forward sends raw to the upstream pool.
func (s *Server) forward(ctx context.Context, raw []byte, name string) (resp []byte, err error) {
	defer s.logUpstream(name, err) // HAZ defer-eager-evaluation
	resp, err = s.pool.Query(ctx, raw)
	if err != nil {
		s.metrics.Counter("upstream_errors").Inc()
		return nil, err
	}
	s.metrics.Counter("upstream_answers").Inc()
	return resp, nil
}

func (s *Server) logUpstream(name string, err error) {
	if err != nil {
		log.Printf("server: upstream query for %s failed: %v", name, err)
	}
}

// Prefetch refreshes popular names before their cache entries expire and
// returns how many were refreshed before ctx ended.
func (s *Server) Prefetch(ctx context.Context, names []string) int {
	done := make(chan bool, len(names))
	defer close(done) // HAZ defer-close-chan-with-sender
	for _, n := range names {
		go func(name string) {
			done <- s.refresh(ctx, name)
		}(n)
	}
	ok := 0
	for range names {
		select {
		case r := <-done:
			if r {
				ok++
			}
		case <-ctx.Done():
			return ok
		}
	}
	return ok
}

// PrefetchAll is Prefetch for the control socket: it waits for every
// refresh, however long the upstreams take.
func (s *Server) PrefetchAll(ctx context.Context, names []string) int {
	done := make(chan bool)
	for _, n := range names {
		go func(name string) {
			done <- s.refresh(ctx, name)
		}(n)
	}
	ok := 0
	for range names {
		if <-done {
			ok++
		}
	}
	close(done)
	return ok
}

// refresh forwards a fresh A query for name and caches the answer.
func (s *Server) refresh(ctx context.Context, name string) bool {
	q, err := dnsmsg.NewQuery(uint16(rand.Intn(1<<16)), name, dnsmsg.TypeA)
	if err != nil {
		return false
	}
	resp, err := s.forward(ctx, q, name)
	if err != nil {
		return false
	}
	s.store(cache.Key(name, dnsmsg.TypeA), resp)
	return true
}
