// Command lobbysim runs the matchmaker in-process with simulated players,
// for load testing and for trying out the admin API locally.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"math/rand"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"example.com/matchmaker/internal/admin"
	"example.com/matchmaker/internal/lobby"
	"example.com/matchmaker/internal/metrics"
	"example.com/matchmaker/internal/player"
	"example.com/matchmaker/internal/queue"
	"example.com/matchmaker/internal/replay"
	"example.com/matchmaker/internal/session"
)

// watchRateFile re-reads the player rate (milliseconds between players)
// from path every two seconds, so a load test can be steered live.
func watchRateFile(path string, rate *atomic.Int64) {
	for true {
		time.Sleep(2 * time.Second)
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		var ms int64
		if _, err := fmt.Fscan(f, &ms); err == nil && ms > 0 {
			rate.Store(int64(time.Duration(ms) * time.Millisecond))
		}
	}
}

// simulatePlayers enqueues a random player at the current rate until ctx
// ends.
func simulatePlayers(ctx context.Context, reg *queue.Registry, sessions *session.Store, rate *atomic.Int64) {
	every := time.Duration(rate.Load())
	t := time.NewTicker(every)
	defer t.Stop()
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if d := time.Duration(rate.Load()); d != every && d > 0 {
			every = d
			t.Reset(every)
		}
		p := &player.Player{
			ID:       fmt.Sprintf("sim-%05d", n),
			Name:     fmt.Sprintf("Bot %d", n),
			Region:   player.Regions[rng.Intn(len(player.Regions))],
			Rating:   800 + rng.Intn(1800),
			JoinedAt: time.Now(),
		}
		if _, err := sessions.Create(p.ID, p.Region); err != nil {
			log.Printf("lobbysim: session for %s: %v", p.ID, err)
			continue
		}
		if _, err := reg.Enqueue(p); err != nil {
			log.Printf("lobbysim: enqueue %s: %v", p.ID, err)
		}
	}
}

// saveState writes the session snapshot and the recorder's pending frames.
func saveState(sessions *session.Store, rec *replay.Recorder, path string) {
	if err := sessions.SaveTo(path); err != nil {
		log.Printf("lobbysim: save sessions: %v", err)
	}
	if rec.Pending() == 0 {
		return
	}
	if p, err := rec.Flush(); err != nil {
		log.Printf("lobbysim: flush replay: %v", err)
	} else {
		log.Printf("lobbysim: wrote %s", p)
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "admin listen address")
	state := flag.String("state", "lobbysim-sessions.gob", "session snapshot file")
	replays := flag.String("replays", ".", "replay directory")
	every := flag.Duration("every", 200*time.Millisecond, "time between simulated players")
	rateFile := flag.String("rate-file", "", "file holding the rate in ms, re-read every 2s")
	flag.Parse()

	m := metrics.New()
	sessions := session.NewStore(10*time.Minute, nil)
	if _, err := sessions.LoadFrom(*state); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Fatalf("lobbysim: %v", err)
	}
	rec := replay.NewRecorder(*replays, replay.Header{LobbyID: "lobbysim"})
	defer saveState(sessions, rec, *state)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reg := queue.NewRegistry(2 * time.Minute)
	lobbies := lobby.NewManager(lobby.Config{MinPlayers: 4, ReadyTimeout: 5 * time.Second, MaxDuration: time.Minute}, nil)
	go lobbies.Reap(ctx)
	go sessions.RunSweeper(ctx, 30*time.Second)
	var rate atomic.Int64
	rate.Store(int64(*every))
	if *rateFile != "" {
		go watchRateFile(*rateFile, &rate)
	}
	go simulatePlayers(ctx, reg, sessions, &rate)
	for _, region := range player.Regions {
		queue.StartRegionMatchers(ctx, reg, region, queue.MatcherConfig{LobbySize: 4, Interval: time.Second, Former: lobbies, Metrics: m})
	}

	srv := admin.New(admin.Config{ReplayDir: *replays}, reg, lobbies, sessions, m)
	log.Printf("lobbysim: admin API on http://%s", *addr)
	if err := http.ListenAndServe(*addr, srv); err != nil { // HAZ signal-skips-defer
		log.Printf("lobbysim: %v", err)
	}
}
