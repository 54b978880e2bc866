// Command matchd runs matchmaking as a standalone service for deployments
// that split it from the game servers.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"path/filepath"
	"time"

	"example.com/realtimegame/internal/leaderboard"
	"example.com/realtimegame/internal/match"
)

func main() {
	addr := flag.String("addr", ":7400", "ticket API listen address")
	snapDir := flag.String("snapshots", "snapshots", "leaderboard snapshot directory")
	teamSize := flag.Int("team-size", 2, "players per match")
	flag.Parse()

	board, err := leaderboard.LoadLatest(*snapDir)
	if err != nil {
		log.Printf("matchd: starting with an empty leaderboard: %v", err)
		board = leaderboard.New()
	}
	q := match.NewQueue(*teamSize, 150, 30*time.Second)
	defer q.Close()
	defer func() {
		path := filepath.Join(*snapDir, "matchd-final.json")
		if err := board.SaveSnapshotAtomic(path); err != nil {
			log.Printf("matchd: final snapshot: %v", err)
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	go q.Run(ctx, 250*time.Millisecond)
	go board.SnapshotLoop(ctx, *snapDir, time.Minute)
	srv := &ticketServer{queue: q, board: board, timeout: 20 * time.Second}
	log.Printf("matchd: listening on %s", *addr)
	if err := http.ListenAndServe(*addr, srv.routes()); err != nil { // HAZ signal-skips-defer
		log.Printf("matchd: %v", err)
	}
}
