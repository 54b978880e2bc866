// Command matchmakerd runs the matchmaking service: queues and matchers,
// lobbies, the heartbeat listener, the session store and the admin API.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"example.com/matchmaker/internal/admin"
	"example.com/matchmaker/internal/heartbeat"
	"example.com/matchmaker/internal/lobby"
	"example.com/matchmaker/internal/metrics"
	"example.com/matchmaker/internal/player"
	"example.com/matchmaker/internal/queue"
	"example.com/matchmaker/internal/session"
)

type config struct {
	adminAddr     string
	heartbeatAddr string
	stateFile     string
	replayDir     string
	peers         string
	lobbySize     int
	maxSpread     int
	tick          time.Duration
	maxWait       time.Duration
	sessionTTL    time.Duration
	readyTimeout  time.Duration
	matchLimit    time.Duration
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.adminAddr, "admin", "127.0.0.1:8081", "admin API listen address")
	flag.StringVar(&c.heartbeatAddr, "heartbeat", "127.0.0.1:7777", "UDP heartbeat listen address")
	flag.StringVar(&c.stateFile, "state", "sessions.gob", "session snapshot file")
	flag.StringVar(&c.replayDir, "replays", "replays", "replay directory")
	flag.StringVar(&c.peers, "peers", "", "comma-separated admin URLs of peer nodes")
	flag.IntVar(&c.lobbySize, "lobby-size", 10, "players per lobby")
	flag.IntVar(&c.maxSpread, "max-spread", 300, "largest rating spread inside a lobby")
	flag.DurationVar(&c.tick, "tick", 2*time.Second, "matcher interval")
	flag.DurationVar(&c.maxWait, "max-wait", 5*time.Minute, "longest time a player stays queued")
	flag.DurationVar(&c.sessionTTL, "session-ttl", 30*time.Minute, "session lifetime")
	flag.DurationVar(&c.readyTimeout, "ready-timeout", 20*time.Second, "ready check deadline")
	flag.DurationVar(&c.matchLimit, "match-limit", time.Hour, "longest match")
	flag.Parse()
	return c
}

func (c config) validate() error {
	if c.lobbySize < 2 {
		return fmt.Errorf("-lobby-size %d: need at least 2", c.lobbySize)
	}
	if c.tick <= 0 || c.maxWait <= c.tick {
		return errors.New("-max-wait must be longer than -tick")
	}
	return nil
}

func (c config) peerList() []string {
	if c.peers == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(c.peers, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.TrimRight(p, "/"))
		}
	}
	return out
}

func auditLog(action, lobbyID string, err error) {
	if err != nil {
		log.Printf("audit %s %s: %v", action, lobbyID, err)
		return
	}
	log.Printf("audit %s %s", action, lobbyID)
}

// main exits on bad flags before anything is deferred; run owns every
// deferred cleanup and returns instead of exiting.
func main() {
	cfg := parseFlags()
	if err := cfg.validate(); err != nil {
		log.Fatalf("matchmakerd: %v", err)
	}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "matchmakerd:", err)
		os.Exit(1)
	}
}

func run(cfg config) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	m := metrics.New()
	sessions := session.NewStore(cfg.sessionTTL, func(session.Session) { m.Inc("sessions_expired") })
	if n, err := sessions.LoadFrom(cfg.stateFile); err == nil {
		log.Printf("matchmakerd: restored %d sessions", n)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	defer func() {
		if err := sessions.Checkpoint(cfg.stateFile); err != nil {
			log.Printf("matchmakerd: checkpoint sessions: %v", err)
		}
	}()

	hb, err := heartbeat.Listen(cfg.heartbeatAddr, 4)
	if err != nil {
		return err
	}
	defer hb.Close()

	registry := queue.NewRegistry(cfg.maxWait)
	lobbies := lobby.NewManager(lobby.Config{
		MinPlayers:   cfg.lobbySize,
		ReadyTimeout: cfg.readyTimeout,
		MaxDuration:  cfg.matchLimit,
		IdleTimeout:  5 * time.Minute,
		Hooks:        map[string]func(){lobby.HookClosed: func() { m.Inc("lobbies_closed") }},
	}, auditLog)

	hb.Start()
	hb.WatchStale(10*time.Second, 30*time.Second, func(ids []string) {
		for _, id := range ids {
			if registry.Remove(id) {
				m.Inc("queue_dropped_silent")
			}
		}
	})

	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		lobbies.Reap(ctx)
	}()
	go func() {
		defer wg.Done()
		sessions.RunSweeper(ctx, time.Minute)
	}()

	mcfg := queue.MatcherConfig{LobbySize: cfg.lobbySize, Interval: cfg.tick, MaxSpread: cfg.maxSpread, Former: lobbies, Metrics: m}
	for _, region := range player.Regions {
		queue.StartRegionMatchers(ctx, registry, region, mcfg)
	}

	srv := admin.New(admin.Config{ReplayDir: cfg.replayDir, Peers: cfg.peerList(), MaxDownloads: 4}, registry, lobbies, sessions, m)
	log.Printf("matchmakerd: admin on %s, heartbeats on %s", cfg.adminAddr, hb.Addr())
	err = srv.Serve(ctx, cfg.adminAddr)
	stop()
	if serr := lobbies.Shutdown(15 * time.Second); serr != nil {
		log.Printf("matchmakerd: %v", serr)
	}
	wg.Wait()
	return err
}
