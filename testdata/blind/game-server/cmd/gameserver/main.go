// Command gameserver runs matches: it accepts player connections, forms
// matches from the queue, ticks them, and serves the admin API. SIGINT and
// SIGTERM trigger a graceful shutdown that ends matches, persists their final
// state and flushes the leaderboard.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"sort"
	"sync"
	"syscall"
	"time"

	"example.com/gamesrv/internal/admin"
	"example.com/gamesrv/internal/anticheat"
	"example.com/gamesrv/internal/game"
	"example.com/gamesrv/internal/leaderboard"
	"example.com/gamesrv/internal/matchmaking"
	"example.com/gamesrv/internal/metrics"
	"example.com/gamesrv/internal/session"
	"example.com/gamesrv/internal/snapshot"
)

type config struct {
	gameAddr   string
	adminAddr  string
	snapDir    string
	replayDir  string
	boardPath  string
	adminToken string
	secret     string
	maxMatches int
	matchSize  int
	tickRate   int
	record     bool
	cpuProfile string
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.gameAddr, "listen", ":7777", "game TCP address")
	flag.StringVar(&c.adminAddr, "admin", "127.0.0.1:9090", "admin HTTP address")
	flag.StringVar(&c.snapDir, "snapshots", "data/snapshots", "snapshot directory")
	flag.StringVar(&c.replayDir, "replays", "data/replays", "replay directory")
	flag.StringVar(&c.boardPath, "leaderboard", "data/leaderboard.json", "leaderboard file")
	flag.StringVar(&c.adminToken, "admin-token", os.Getenv("GAMESRV_ADMIN_TOKEN"), "admin API bearer token")
	flag.StringVar(&c.secret, "secret", os.Getenv("GAMESRV_SECRET"), "player token HMAC secret")
	flag.IntVar(&c.maxMatches, "max-matches", 200, "concurrent match limit")
	flag.IntVar(&c.matchSize, "match-size", 4, "players per match")
	flag.IntVar(&c.tickRate, "tick-rate", 30, "simulation ticks per second")
	flag.BoolVar(&c.record, "record", true, "record replays")
	flag.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	return c
}

func main() {
	cfg := parseFlags()
	if cfg.secret == "" || cfg.adminToken == "" {
		log.Fatal("gameserver: -secret and -admin-token (or their env vars) are required")
	}
	if err := withCPUProfile(cfg.cpuProfile, func() error { return run(cfg) }); err != nil {
		log.Fatalf("gameserver: %v", err)
	}
}

func run(cfg config) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "gamesrv ", log.LstdFlags|log.Lmicroseconds)

	store, err := snapshot.NewStore(cfg.snapDir, 20, logger)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.replayDir, 0o755); err != nil {
		return err
	}
	board, err := leaderboard.LoadJSON(cfg.boardPath)
	if err != nil {
		return err
	}
	defer func() {
		if err := board.SaveJSON(cfg.boardPath); err != nil {
			logger.Printf("saving leaderboard: %v", err)
		}
	}()

	reg := new(metrics.Registry)
	recorder := snapshot.NewRecorder(cfg.replayDir, 30*60*cfg.tickRate, logger)
	registry := game.NewRegistry(cfg.maxMatches, func(id string) *game.Match {
		mc := game.Config{TickRate: cfg.tickRate, MaxPlayers: cfg.matchSize, RecordReplay: cfg.record}
		return game.NewMatch(id, mc, store, recorder, reg)
	})
	hub := session.NewHub()
	queue := matchmaking.NewQueue(cfg.matchSize)
	checker := anticheat.NewChecker(logger)
	srv := &server{
		hub:      hub,
		router:   &router{checker: checker, logger: logger, seats: make(map[string]*seat)},
		auth:     session.HMACAuth{Secret: []byte(cfg.secret)},
		tickRate: cfg.tickRate,
		logger:   logger,
	}

	ln, err := net.Listen("tcp", cfg.gameAddr)
	if err != nil {
		return err
	}
	defer ln.Close()

	api := admin.NewServer(admin.Deps{
		Registry: registry, Board: board, Hub: hub, Store: store,
		Queue: queue, Metrics: reg, ReplayDir: cfg.replayDir, Token: cfg.adminToken, Logger: logger,
	})
	go checker.RunReporter(ctx, logSink{logger})

	var wg sync.WaitGroup
	wg.Add(4)
	go func() {
		defer wg.Done()
		srv.acceptLoop(ctx, ln)
	}()
	go func() {
		defer wg.Done()
		if err := api.ListenAndServe(ctx, cfg.adminAddr); err != nil {
			logger.Printf("admin api: %v", err)
		}
	}()
	go func() {
		defer wg.Done()
		_ = api.RunAudit(ctx, os.Stdout)
	}()
	go func() {
		defer wg.Done()
		srv.runMatchmaker(ctx, queue, registry, store, board)
	}()

	logger.Printf("serving games on %s, admin on %s", ln.Addr(), cfg.adminAddr)
	<-ctx.Done()
	logger.Printf("shutting down")
	ln.Close()
	registry.EndAll("server shutdown")
	hub.DrainAll(2 * time.Second)
	wg.Wait()
	return nil
}

// server bundles what connection handling needs.
type server struct {
	hub      *session.Hub
	router   *router
	auth     session.Authenticator
	tickRate int
	logger   *log.Logger
}

func (s *server) acceptLoop(ctx context.Context, ln net.Listener) {
	var wg sync.WaitGroup
	seq := 0
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				break
			}
			s.logger.Printf("accept: %v", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		seq++
		id := fmt.Sprintf("s%06d", seq)
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.handleConn(ctx, conn, id)
		}()
	}
	wg.Wait()
}

func (s *server) handleConn(ctx context.Context, conn net.Conn, sessionID string) {
	defer conn.Close()
	hello, err := session.Handshake(conn, s.auth, sessionID, s.tickRate, 5*time.Second)
	if err != nil {
		s.logger.Printf("%s: %v", conn.RemoteAddr(), err)
		return
	}
	sess := session.New(hello.PlayerID, conn, s.router, s.logger)
	if err := s.hub.Add(sess); err != nil {
		s.logger.Printf("%s: %v", hello.PlayerID, err)
		return
	}
	err = sess.Run(ctx)
	s.hub.Remove(sess)
	s.router.leave(hello.PlayerID)
	if err != nil && !errors.Is(err, context.Canceled) {
		s.logger.Printf("session %s (%s) ended: %v", hello.PlayerID, sessionID, err)
	}
}

// runMatchmaker turns formed groups into running matches until ctx ends,
// then waits for the matches it started.
func (s *server) runMatchmaker(ctx context.Context, q *matchmaking.Queue, registry *game.Registry, store *snapshot.Store, board *leaderboard.Board) {
	formed := make(chan []matchmaking.Ticket)
	go q.Run(ctx, 500*time.Millisecond, formed)
	var wg sync.WaitGroup
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case group := <-formed:
			m, err := registry.Create(newMatchID())
			if err != nil {
				s.logger.Printf("matchmaker: %v", err)
				q.Restore(group)
				continue
			}
			s.seat(m, group)
			wg.Add(1)
			go func(m *game.Match) {
				defer wg.Done()
				s.runMatch(ctx, m, registry, store, board)
			}(m)
		}
	}
}

func (s *server) seat(m *game.Match, group []matchmaking.Ticket) {
	for _, t := range group {
		sess, ok := s.hub.Get(t.PlayerID)
		if !ok {
			continue
		}
		if err := m.AddPlayer(t.PlayerID, sess); err != nil {
			s.logger.Printf("match %s: seating %s: %v", m.ID(), t.PlayerID, err)
			continue
		}
		s.router.assign(t.PlayerID, m)
	}
}

func (s *server) runMatch(ctx context.Context, m *game.Match, registry *game.Registry, store *snapshot.Store, board *leaderboard.Board) {
	cpCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go store.CheckpointLoop(cpCtx, m, 5*time.Second)

	if err := m.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		s.logger.Printf("match %s: %v", m.ID(), err)
	}
	board.ApplyMatch(results(m.Snapshot()))
	if err := store.PersistFinal(m); err != nil {
		s.logger.Printf("match %s: %v", m.ID(), err)
	}
	registry.Remove(m.ID())
}

// results converts a final snapshot into leaderboard results; the highest
// score wins.
func results(snap game.Snapshot) []leaderboard.Result {
	players := append([]game.PlayerState(nil), snap.Players...)
	sort.SliceStable(players, func(i, j int) bool { return players[i].Score > players[j].Score })
	out := make([]leaderboard.Result, 0, len(players))
	for i, p := range players {
		out = append(out, leaderboard.Result{Player: p.ID, Delta: int64(p.Score), Win: i == 0 && p.Score > 0})
	}
	return out
}

func newMatchID() string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Sprintf("m%x", time.Now().UnixNano())
	}
	return "m" + hex.EncodeToString(b[:])
}

// logSink is the moderation sink used until the moderation service exists.
type logSink struct{ logger *log.Logger }

func (l logSink) Write(ctx context.Context, v anticheat.Violation) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.logger.Printf("VIOLATION player=%s rule=%s detail=%q", v.Player, v.Rule, v.Detail)
	return nil
}
