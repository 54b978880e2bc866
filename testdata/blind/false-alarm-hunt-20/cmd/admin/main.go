// Command admin serves the internal admin pages: access-log tail, slow
// requests, manual task triggers.
package main

import (
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"runtime"
	"time"

	"example.com/fah20/internal/accesslog"
	"example.com/fah20/internal/middleware"
	"example.com/fah20/internal/web"
)

func tailHandler(path string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		data, err := accesslog.Tail(path, 64<<10)
		if err != nil {
			web.Error(w, http.StatusInternalServerError, err.Error())
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(data)
	}
}

// serveDebug answers each connection on the debug port with a dump of all
// goroutine stacks.
func serveDebug(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("admin: debug accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		go func() {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			_, _ = conn.Write(buf[:n])
		}()
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9090", "listen address")
	logPath := flag.String("log", "data/access.log", "access log to tail")
	ownLog := flag.String("own-log", "data/admin-access.log", "the admin server's own access log")
	debugAddr := flag.String("debug", "127.0.0.1:9091", "goroutine dump port")
	flag.Parse()

	ln, err := net.Listen("tcp", *debugAddr)
	if err != nil {
		log.Fatalf("admin: %v", err)
	}
	go serveDebug(ln)

	al, err := accesslog.Open(*ownLog, 64<<20)
	if err != nil {
		log.Fatalf("admin: %v", err)
	}
	defer func() {
		if err := al.Close(); err != nil {
			log.Printf("admin: closing access log: %v", err)
		}
	}()

	tracker := middleware.NewTracker()
	mux := http.NewServeMux()
	mux.Handle("GET /tail", tailHandler(*logPath))
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		_ = web.WriteJSON(w, http.StatusOK, map[string]any{"in_flight": tracker.Len(), "oldest": tracker.Oldest().String()})
	})
	handler := web.Chain(mux,
		middleware.Recoverer(log.Default()),
		accesslog.Middleware(al, nil),
		tracker.Middleware,
	)
	srv := &http.Server{Addr: *addr, Handler: handler, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("admin listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("admin: %v", err)
	}
}
