package queue

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"example.com/matchmaker/internal/player"
)

func newPlayer(id string, rating int) *player.Player {
	return &player.Player{ID: id, Region: player.EUWest, Rating: rating}
}

func TestEnqueueRejectsDuplicates(t *testing.T) {
	q := New(Key{Region: player.EUWest, Band: player.Gold}, time.Minute)
	if err := q.Enqueue(newPlayer("p1", 1500)); err != nil {
		t.Fatalf("first enqueue: %v", err)
	}
	if err := q.Enqueue(newPlayer("p1", 1500)); err == nil {
		t.Fatal("second enqueue of p1 succeeded")
	}
	if got := q.Len(); got != 1 {
		t.Fatalf("Len = %d, want 1", got)
	}
}

func TestPopN(t *testing.T) {
	cases := []struct {
		name    string
		waiting int
		n       int
		want    int
	}{
		{"not enough", 3, 4, 0},
		{"exact", 4, 4, 4},
		{"more waiting", 6, 4, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := New(Key{Region: player.USEast, Band: player.Silver}, time.Minute)
			for i := 0; i < tc.waiting; i++ {
				if err := q.Enqueue(newPlayer(fmt.Sprintf("p%d", i), 1200)); err != nil {
					t.Fatal(err)
				}
			}
			if got := len(q.PopN(tc.n)); got != tc.want {
				t.Fatalf("PopN(%d) returned %d players, want %d", tc.n, got, tc.want)
			}
		})
	}
}

func TestConcurrentEnqueue(t *testing.T) {
	q := New(Key{Region: player.APSouth, Band: player.Bronze}, time.Minute)
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if err := q.Enqueue(newPlayer(fmt.Sprintf("p%02d", i), 800)); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	if got := q.Len(); got != 50 {
		t.Fatalf("Len = %d, want 50", got)
	}
}

type recordingFormer struct {
	mu      sync.Mutex
	batches [][]*player.Player
}

func (f *recordingFormer) Form(_ context.Context, _ Key, ps []*player.Player) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.batches = append(f.batches, ps)
	return nil
}

func TestMatcherFormsLobbies(t *testing.T) {
	q := New(Key{Region: player.EUWest, Band: player.Gold}, time.Hour)
	for i := 0; i < 8; i++ {
		if err := q.Enqueue(newPlayer(fmt.Sprintf("p%d", i), 1500+i)); err != nil {
			t.Fatal(err)
		}
	}
	former := &recordingFormer{}
	m := NewMatcher(q, MatcherConfig{LobbySize: 4, Former: former})
	m.formLobbies()
	if got := m.Formed(); got != 2 {
		t.Fatalf("formed %d lobbies, want 2", got)
	}
	if q.Len() != 0 {
		t.Fatalf("queue still has %d players", q.Len())
	}
}
