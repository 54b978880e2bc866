// Command relayd is the chat relay server.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"example.com/chatrelay/internal/admin"
	"example.com/chatrelay/internal/bridge"
	"example.com/chatrelay/internal/config"
	"example.com/chatrelay/internal/history"
	"example.com/chatrelay/internal/hub"
	"example.com/chatrelay/internal/metrics"
	"example.com/chatrelay/internal/protocol"
	"example.com/chatrelay/internal/room"
	"example.com/chatrelay/internal/server"
)

func main() {
	cfgPath := flag.String("config", "relay.json", "configuration file")
	flag.Parse()
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		log.Fatalf("relayd: %v", err)
	}
	if err := run(cfg); err != nil {
		log.Printf("relayd: %v", err)
		os.Exit(1)
	}
}

// run owns every resource of the process; main only maps its error to an
// exit status, so all deferred cleanup here runs before the process exits.
func run(cfg config.Config) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store, err := history.Open(cfg.HistoryDir, cfg.MaxHistoryBytes)
	if err != nil {
		return err
	}
	sessLog, closeSessLog, err := openLog(cfg.SessionLog)
	if err != nil {
		return err
	}
	defer func() {
		if err := closeSessLog(); err != nil {
			log.Printf("relayd: session log: %v", err)
		}
	}()
	auditLog, closeAuditLog, err := openLog(cfg.AuditLog)
	if err != nil {
		return err
	}
	defer func() {
		if err := closeAuditLog(); err != nil {
			log.Printf("relayd: audit log: %v", err)
		}
	}()

	m := metrics.New()
	rooms := room.NewRegistry(cfg.RecentLines)
	if err := warmRooms(store, rooms, cfg.RecentLines); err != nil {
		log.Printf("relayd: history warm-up: %v", err)
	}
	h := hub.New(rooms, m, cfg.MaxClients)
	go h.Run()
	go h.PumpEvents()
	defer h.Stop()

	srv := server.New(server.Config{
		Addr:        cfg.Listen,
		IdleTimeout: cfg.IdleTimeout.Duration,
		QueueLen:    cfg.QueueLen,
		MaxPerIP:    cfg.MaxPerIP,
		MsgRate:     cfg.MsgRate,
		MsgBurst:    cfg.MsgBurst,
		Persisters:  cfg.Persisters,
		MOTDPath:    cfg.MOTDPath,
		SessionLog:  sessLog,
	}, h, rooms, store, m)
	srv.Start(ctx)

	if len(cfg.Peers) > 0 {
		br := bridge.New(cfg.RelayName, 2*time.Second, relayInbound(h))
		if cfg.PeerListen != "" {
			pln, err := net.Listen("tcp", cfg.PeerListen)
			if err != nil {
				return err
			}
			defer pln.Close()
			go br.AcceptPeers(pln)
		}
		probePeers(br, cfg.Peers)
		br.Run(ctx, cfg.Peers)
	}

	if cfg.AdminListen != "" {
		api := admin.New(h, rooms, store, m, cfg.AdminToken, cfg.ExportDir, auditLog)
		go api.AuditLoop(ctx)
		adminSrv := &http.Server{Addr: cfg.AdminListen, Handler: api.Handler(), ReadHeaderTimeout: 5 * time.Second}
		go func() {
			if err := adminSrv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Printf("relayd: admin: %v", err)
			}
		}()
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := adminSrv.Shutdown(sctx); err != nil {
				log.Printf("relayd: admin shutdown: %v", err)
			}
		}()
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe(ctx) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Printf("relayd: signal received, shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace.Duration)
	defer cancel()
	return srv.Shutdown(sctx)
}

// openLog opens an append-only log file; an empty path discards.
func openLog(path string) (*log.Logger, func() error, error) {
	if path == "" {
		return log.New(io.Discard, "", 0), func() error { return nil }, nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, nil, err
	}
	return log.New(f, "", log.LstdFlags|log.LUTC), f.Close, nil
}

// warmRooms recreates the rooms found on disk with their recent lines.
func warmRooms(store *history.Store, rooms *room.Registry, n int) error {
	names, err := store.Rooms()
	if err != nil {
		return err
	}
	recent, err := store.TailMany(names, n)
	for name, lines := range recent {
		r, _ := rooms.GetOrCreate(name)
		r.Preload(lines)
	}
	return err
}

// relayInbound publishes chat lines received from peer relays locally,
// tagging the sender with the peer it came through.
func relayInbound(h *hub.Hub) func(peer, line string) {
	return func(peer, line string) {
		cmd, err := protocol.Parse(line)
		if err != nil || cmd.Verb != "MSG" {
			return
		}
		from, text, ok := strings.Cut(cmd.Text, " ")
		if !ok {
			return
		}
		if err := h.Publish(cmd.Args[0], from+"@"+peer, text); err != nil && !errors.Is(err, hub.ErrNoRoom) {
			log.Printf("relayd: from peer %s: %v", peer, err)
		}
	}
}

// probePeers logs which configured peers answer, without delaying start-up.
func probePeers(br *bridge.Bridge, peers []string) {
	for _, addr := range peers {
		go func() { // HAZ loop-var-capture
			if err := br.Probe(addr, 3*time.Second); err != nil {
				log.Printf("relayd: peer %s not answering: %v", addr, err)
			}
		}()
		log.Printf("relayd: probing peer %s", addr)
	}
}
