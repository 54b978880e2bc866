package admin

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"example.com/gamesrv/internal/game"
	"example.com/gamesrv/internal/leaderboard"
	"example.com/gamesrv/internal/matchmaking"
	"example.com/gamesrv/internal/session"
)

func newTestServer() *Server {
	return NewServer(Deps{
		Registry: game.NewRegistry(4, func(id string) *game.Match {
			return game.NewMatch(id, game.Config{MaxPlayers: 2}, nil, nil, nil)
		}),
		Board:  leaderboard.New(),
		Hub:    session.NewHub(),
		Queue:  matchmaking.NewQueue(2),
		Token:  "t0ken",
		Logger: log.New(io.Discard, "", 0),
	})
}

func TestAuthRequired(t *testing.T) {
	ts := httptest.NewServer(newTestServer().Handler())
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", resp.StatusCode)
	}
}

func TestClientStatus(t *testing.T) {
	ts := httptest.NewServer(newTestServer().Handler())
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := NewClient(ts.URL, "t0ken").Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Matches != 0 || st.Players != 0 {
		t.Fatalf("status = %+v", st)
	}
}

func TestListenAndServeShutsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error)
	go func() { errc <- newTestServer().ListenAndServe(ctx, addr) }() // HAZ goroutine-blocked-send

	readyCtx, readyCancel := context.WithTimeout(ctx, 2*time.Second)
	defer readyCancel()
	if err := NewClient("http://"+addr, "t0ken").WaitReady(readyCtx, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("ListenAndServe: %v", err)
	}
}
