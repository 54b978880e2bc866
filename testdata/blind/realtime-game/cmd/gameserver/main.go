// Command gameserver runs the realtime game: the TCP game listener, the room
// tick loops, matchmaking, the leaderboard and the admin API.
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

	"example.com/realtimegame/internal/admin"
	"example.com/realtimegame/internal/config"
	"example.com/realtimegame/internal/hub"
	"example.com/realtimegame/internal/leaderboard"
	"example.com/realtimegame/internal/match"
	"example.com/realtimegame/internal/room"
	"example.com/realtimegame/internal/telemetry"
)

func main() {
	cfgPath := flag.String("config", "", "path to a JSON config file")
	flag.Parse()

	cfg := config.Default()
	if *cfgPath != "" {
		loaded, err := config.Load(*cfgPath)
		if err != nil {
			log.Fatalf("gameserver: %v", err)
		}
		cfg = loaded
	}
	cfg.ApplyEnv(os.LookupEnv)
	if err := cfg.Validate(); err != nil {
		log.Fatalf("gameserver: invalid config: %v", err)
	}
	board, err := leaderboard.LoadLatest(cfg.SnapshotDir)
	if err != nil {
		log.Fatalf("gameserver: leaderboard: %v", err)
	}
	ln, err := net.Listen("tcp", cfg.GameAddr)
	if err != nil {
		log.Fatalf("gameserver: %v", err)
	}

	// From here on cleanup is registered: no exits, only returns.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer ln.Close()

	stats := telemetry.NewCounter()
	h := hub.New(stats)
	rooms := room.NewManager(room.Options{TickRate: cfg.TickRate, MaxPlayers: cfg.MaxPlayersPerRoom, Stats: stats})
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := rooms.Shutdown(sctx); err != nil {
			log.Printf("gameserver: %v", err)
		}
	}()
	defer func() {
		if err := board.SaveSnapshotAtomic(leaderboard.SnapshotPath(cfg.SnapshotDir, time.Now())); err != nil {
			log.Printf("gameserver: final leaderboard snapshot: %v", err)
		}
	}()
	queue := match.NewQueue(2, 200, cfg.MatchTimeout.Duration)
	defer queue.Close()

	g := newGameServer(rooms, h, queue, board, cfg.MatchTimeout.Duration)
	go queue.Run(ctx, 250*time.Millisecond)
	go board.SnapshotLoop(ctx, cfg.SnapshotDir, time.Minute)
	if cfg.StatsAddr != "" {
		go telemetry.PushEvery(ctx, cfg.StatsAddr, stats, 10*time.Second)
	}
	go acceptLoop(ctx, ln, g)

	adm := admin.New(admin.Config{
		Addr:        cfg.AdminAddr,
		Token:       cfg.AdminToken,
		ReplayDir:   cfg.ReplayDir,
		SnapshotDir: cfg.SnapshotDir,
		AuditPath:   cfg.AuditLog,
	}, admin.Deps{Rooms: rooms, Board: board, Queue: queue, Hub: h})
	go adm.RunAudit(ctx)
	go func() {
		if err := adm.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("gameserver: admin: %v", err)
			stop()
		}
	}()

	log.Printf("gameserver: game on %s, admin on %s", cfg.GameAddr, cfg.AdminAddr)
	<-ctx.Done()
	log.Printf("gameserver: shutting down")
	go func() {
		time.Sleep(30 * time.Second)
		log.Fatal("gameserver: graceful shutdown took too long, exiting")
	}()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := adm.Shutdown(sctx); err != nil {
		log.Printf("gameserver: admin shutdown: %v", err)
	}
}

// acceptLoop accepts game connections until the listener is closed.
func acceptLoop(ctx context.Context, ln net.Listener, g *gameServer) {
	var backoff time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			if backoff == 0 {
				backoff = 5 * time.Millisecond
			} else {
				backoff *= 2
			}
			if backoff > time.Second {
				backoff = time.Second
			}
			log.Printf("gameserver: accept: %v; retrying in %s", err, backoff)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		go g.handleConn(ctx, conn)
	}
}
