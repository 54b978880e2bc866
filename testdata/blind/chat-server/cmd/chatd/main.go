// Command chatd is the chat daemon: a line-protocol chat server over TCP with
// an admin HTTP endpoint.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/chatserver/internal/admin"
	"example.com/chatserver/internal/chat"
	"example.com/chatserver/internal/server"
	"example.com/chatserver/internal/store"
)

type config struct {
	addr       string
	adminAddr  string
	historyDir string
	history    int
	maxMembers int
	queue      int
	rate       float64
	burst      int
	flushEvery time.Duration
	legacy     bool
}

func main() {
	os.Exit(run())
}

// loadConfig parses flags; invalid flags end the process before anything
// needs cleaning up.
func loadConfig() config {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", ":6667", "chat listen address")
	flag.StringVar(&cfg.adminAddr, "admin", "127.0.0.1:8080", "admin HTTP listen address")
	flag.StringVar(&cfg.historyDir, "history-dir", "history", "directory for room history")
	flag.IntVar(&cfg.history, "history", 500, "messages kept per room")
	flag.IntVar(&cfg.maxMembers, "max-members", 1000, "members per room (0 = unlimited)")
	flag.IntVar(&cfg.queue, "queue", 128, "outgoing lines queued per client")
	flag.Float64Var(&cfg.rate, "rate", 5, "messages per second per client")
	flag.IntVar(&cfg.burst, "burst", 20, "message burst per client")
	flag.DurationVar(&cfg.flushEvery, "flush-every", time.Minute, "history flush interval (0 = only on shutdown)")
	flag.BoolVar(&cfg.legacy, "legacy-accept", false, "use the pre-2.0 accept loop")
	flag.Parse()
	if cfg.history < 1 || cfg.queue < 1 {
		log.Fatalf("chatd: -history and -queue must be positive")
	}
	return cfg
}

func restore(hub *chat.Hub, st *store.Store) error {
	rooms, err := st.LoadAll()
	if err != nil {
		return err
	}
	for name, msgs := range rooms {
		hub.Restore(name, msgs)
	}
	log.Printf("chatd: restored %d rooms", len(rooms))
	return nil
}

func run() int {
	cfg := loadConfig()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	st, err := store.New(cfg.historyDir)
	if err != nil {
		log.Printf("chatd: %v", err)
		return 1
	}
	metrics := server.NewMetrics()
	hub := chat.NewHub(chat.HubConfig{
		MaxMembers:  cfg.maxMembers,
		HistorySize: cfg.history,
		Observer:    metrics,
	})
	if err := restore(hub, st); err != nil {
		log.Printf("chatd: restore history: %v (starting empty)", err)
	}
	srv := server.New(server.Config{
		SendQueue:  cfg.queue,
		RatePerSec: cfg.rate,
		Burst:      cfg.burst,
		FlushEvery: cfg.flushEvery,
	}, hub, st, metrics)

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		log.Printf("chatd: %v", err)
		return 1
	}

	adm := admin.New(hub, st)
	go adm.AuditLoop(ctx)
	adminSrv := &http.Server{Addr: cfg.adminAddr, Handler: adm, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := adminSrv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("chatd: admin endpoint: %v", err)
		}
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := adminSrv.Shutdown(sctx); err != nil {
			log.Printf("chatd: admin shutdown: %v", err)
		}
	}()

	log.Printf("chatd: listening on %s, admin on %s", ln.Addr(), cfg.adminAddr)
	if cfg.legacy {
		srv.StartLegacy(ctx, ln)
		<-ctx.Done()
		return 0
	}
	if err := srv.Run(ctx, ln); err != nil {
		log.Printf("chatd: %v", err)
		return 1
	}
	return 0
}
