// Command dbproxy accepts line-protocol clients, forwards their commands to
// the backend and serves the admin API.
package main

import (
	"database/sql"
	"flag"
	"log"
	"net"
	"net/http"
	"time"

	"example.com/fah27/internal/admin"
	"example.com/fah27/internal/memdriver"
	"example.com/fah27/internal/pool"
)

func main() {
	listen := flag.String("listen", ":7070", "client address")
	adminAddr := flag.String("admin", ":7071", "admin API address")
	backend := flag.String("backend", "127.0.0.1:6380", "backend address")
	workers := flag.Int("workers", 8, "backend sessions")
	flag.Parse()

	p, err := pool.New(pool.Config{Addr: *backend, MaxOpen: 32, MaxIdle: 8, IdleTimeout: time.Minute})
	if err != nil {
		log.Fatalf("dbproxy: %v", err)
	}
	defer p.Close()

	memdriver.Register()
	memdriver.NewServer("audit")
	audit, err := sql.Open(memdriver.Name, "audit")
	if err != nil {
		log.Printf("dbproxy: audit log: %v", err)
		return
	}
	defer audit.Close()

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Printf("dbproxy: %v", err)
		return
	}
	defer ln.Close()

	px := newProxy(*backend, 5*time.Second)
	jobs := make(chan job, 64)
	for i := 0; i < *workers; i++ {
		go px.worker(jobs)
	}
	go px.accept(ln, jobs)

	srv := &http.Server{Addr: *adminAddr, Handler: admin.New(p, audit, nil).Routes(), ReadHeaderTimeout: 5 * time.Second}
	log.Printf("dbproxy: clients on %s, admin on %s", *listen, *adminAddr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("dbproxy: admin server: %v", err)
	}
}
