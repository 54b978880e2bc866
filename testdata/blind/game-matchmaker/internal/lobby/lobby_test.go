package lobby

import (
	"context"
	"fmt"
	"testing"
	"time"

	"example.com/matchmaker/internal/player"
)

func testLobby(t *testing.T, n int) *Lobby {
	t.Helper()
	players := make([]*player.Player, n)
	for i := range players {
		players[i] = &player.Player{ID: fmt.Sprintf("p%d", i), Region: player.EUWest, Rating: 1500}
	}
	cfg := Config{
		MinPlayers:   2,
		ReadyTimeout: time.Second,
		MaxDuration:  time.Minute,
		Hooks:        map[string]func(){HookClosed: func() {}},
	}
	l := New("lb-test", "eu-west/gold", players, cfg)
	l.logf = t.Logf
	return l
}

func TestVoteCountsAnswers(t *testing.T) {
	l := testLobby(t, 4)
	yes, answered, err := l.Vote(context.Background(), func(p *player.Player) bool { return p.ID != "p3" })
	if err != nil {
		t.Fatal(err)
	}
	if yes != 3 || answered != 4 {
		t.Fatalf("Vote = %d yes of %d, want 3 of 4", yes, answered)
	}
}

func TestRunTimersStopsWhenClosed(t *testing.T) {
	l := testLobby(t, 2)
	fired := 0
	l.Close("test")
	if l.runTimers([]time.Duration{time.Hour}, func(int) { fired++ }) {
		t.Fatal("runTimers reported completion on a closed lobby")
	}
	if fired != 0 {
		t.Fatalf("phase callback fired %d times", fired)
	}
}

func TestCollectReady(t *testing.T) {
	l := testLobby(t, 3)
	for _, p := range l.Players {
		if !l.MarkReady(p.ID) {
			t.Fatalf("MarkReady(%s) failed", p.ID)
		}
	}
	if err := l.collectReady(); err != nil {
		t.Fatal(err)
	}
	if l.State() != Ready {
		t.Fatalf("state = %s, want ready", l.State())
	}
}

func TestStateString(t *testing.T) {
	for s, want := range map[State]string{Forming: "forming", InGame: "in-game", Crashed: "crashed", State(9): "state(9)"} {
		if got := s.String(); got != want {
			t.Errorf("State(%d).String() = %q, want %q", int32(s), got, want)
		}
	}
}
