// Package server is the up6d HTTP API: a routed cache with events, hooks,
// reports and an admin line protocol.
package server

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/up6/internal/fetch"
	"example.com/up6/internal/lockx"
	"example.com/up6/internal/obs"
)

// Event is published for every cache mutation.
type Event struct {
	Kind string    `json:"kind"`
	Key  string    `json:"key"`
	At   time.Time `json:"at"`
}

// Hook observes events.
type Hook func(Event)

// Server holds the API state.
type Server struct {
	log      *log.Logger
	reg      *Registry
	cache    *lockx.Cache[string, []byte]
	tr       *obs.Tracer
	events   chan Event // unbuffered; drained by RunEvents
	audit    chan Event
	hooks    []Hook
	backends []*fetch.Client
	spool    string

	panicOnce  sync.Once
	firstPanic atomic.Value
	dropped    atomic.Int64
	lastStats  atomic.Int64
}

// New returns a server for the given backend base URLs.
func New(l *log.Logger, backends []string, hooks ...Hook) *Server {
	s := &Server{
		log:    l,
		reg:    NewRegistry(),
		cache:  lockx.NewCache[string, []byte](10*time.Minute, nil),
		tr:     obs.NewTracer(),
		events: make(chan Event),
		audit:  make(chan Event, 64),
		hooks:  hooks,
		spool:  filepath.Join(os.TempDir(), "up6-spool"),
	}
	for _, b := range backends {
		s.backends = append(s.backends, fetch.New(b, 3*time.Second))
	}
	return s
}

// Routes returns the HTTP handler of the API.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/cache/{key}", s.handleGet)
	mux.HandleFunc("PUT /v1/cache/{key}", s.handlePut)
	mux.HandleFunc("DELETE /v1/cache/{key}", s.handleDelete)
	mux.HandleFunc("GET /v1/report", s.handleReport)
	mux.HandleFunc("GET /v1/summary", s.handleSummary)
	mux.HandleFunc("GET /v1/export", s.handleExport)
	mux.HandleFunc("POST /v1/import", s.handleImport)
	mux.HandleFunc("POST /v1/upload/{name}", s.handleUpload)
	mux.HandleFunc("GET /v1/status", s.handleStatus)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	return s.recoverMiddleware(mux)
}

func (s *Server) recoverMiddleware(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				s.log.Printf("panic serving %s %s: %v", r.Method, r.URL.Path, rec)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// RunEvents delivers events to the hooks until ctx ends.
func (s *Server) RunEvents(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-s.events:
			s.runHooks(ev)
			select {
			case s.audit <- ev:
			default:
				s.dropped.Add(1)
			}
		}
	}
}

// runHooks calls every hook; a misbehaving hook must not take the server
// down.
func (s *Server) runHooks(ev Event) {
	for _, h := range s.hooks {
		func() {
			defer func() {
				if r := recover(); r != nil { // HAZ recover-swallows-panic
					// keep going: the remaining hooks still need the event
				}
			}()
			h(ev)
		}()
	}
}

// emit publishes ev if the event loop is ready, and counts it as dropped
// otherwise.
func (s *Server) emit(ev Event) {
	select {
	case s.events <- ev:
	default:
		s.dropped.Add(1)
	}
}

// ForwardAudit posts audit events to url until ctx is cancelled.
func (s *Server) ForwardAudit(ctx context.Context, client *fetch.Client, url string) {
	for {
		select {
		case <-ctx.Done():
			s.log.Printf("audit forwarder stopping: %v", ctx.Err())
			break
		case ev := <-s.audit:
			resp, err := client.PostJSON(ctx, url, ev)
			if err != nil {
				s.log.Printf("audit: %v", err)
				continue
			}
			defer resp.Body.Close() // HAZ defer-in-infinite-loop
			if resp.StatusCode >= http.StatusMultipleChoices {
				s.log.Printf("audit: %s", resp.Status)
			}
		}
	}
}

// FlushAudit posts up to max queued audit events and reports how many were
// delivered.
func (s *Server) FlushAudit(ctx context.Context, client *fetch.Client, url string, max int) int {
	sent := 0
flush:
	for sent < max {
		select {
		case <-ctx.Done():
			break flush
		case ev := <-s.audit:
			if err := s.postAudit(ctx, client, url, ev); err != nil {
				s.log.Printf("audit: %v", err)
				continue
			}
			sent++
		default:
			break flush
		}
	}
	return sent
}

// Announce tells the audit endpoint that this server is up.
func (s *Server) Announce(ctx context.Context, client *fetch.Client, url string) error {
	resp, err := client.PostJSON(ctx, url, Event{Kind: "up", At: time.Now()})
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("announce: %w", err)
	}
	if resp.StatusCode >= http.StatusMultipleChoices {
		return fmt.Errorf("announce: %s", resp.Status)
	}
	return nil
}

func (s *Server) postAudit(ctx context.Context, client *fetch.Client, url string, ev Event) error {
	resp, err := client.PostJSON(ctx, url, ev)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= http.StatusMultipleChoices {
		return fmt.Errorf("audit: %s", resp.Status)
	}
	return nil
}

// ServeAdmin accepts admin connections on ln until it is closed.
func (s *Server) ServeAdmin(ln net.Listener) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go s.serveConn(c)
	}
}

// serveConn answers one admin connection, one command per line.
func (s *Server) serveConn(c net.Conn) {
	defer c.Close()
	defer func() {
		s.panicOnce.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				s.firstPanic.Store(fmt.Sprint(r))
				s.log.Printf("admin connection panic: %v", r)
			}
		})
	}()
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		if _, err := fmt.Fprintln(c, s.adminCommand(sc.Text())); err != nil {
			return
		}
	}
}

func (s *Server) adminCommand(line string) string {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return "ERR empty command"
	}
	switch fields[0] {
	case "routes":
		return fmt.Sprintf("OK %d", s.reg.Len())
	case "resolve":
		if len(fields) != 2 {
			return "ERR usage: resolve <name>"
		}
		return "OK " + s.reg.MustResolve(fields[1]).Backend
	case "dropped":
		return fmt.Sprintf("OK %d", s.dropped.Load())
	}
	return "ERR unknown command " + fields[0]
}
