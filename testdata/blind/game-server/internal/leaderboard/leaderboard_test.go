package leaderboard

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

func TestTopOrdering(t *testing.T) {
	b := New()
	b.ApplyMatch([]Result{
		{Player: "ann", Delta: 300, Win: true},
		{Player: "bo", Delta: 120},
		{Player: "cy", Delta: 300},
	})
	top := b.Top(2)
	if len(top) != 2 || top[0].Player != "ann" || top[1].Player != "cy" {
		t.Fatalf("top = %+v", top)
	}
	if rank, ok := b.Rank("bo"); !ok || rank != 3 {
		t.Fatalf("rank(bo) = %d, %v", rank, ok)
	}
}

func TestConcurrentSubmit(t *testing.T) {
	b := New()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				b.Submit(Result{Player: fmt.Sprintf("p%d", i%4), Delta: 1})
			}
		}(i)
	}
	wg.Wait()
	if b.Len() != 4 {
		t.Fatalf("len = %d, want 4", b.Len())
	}
	for _, e := range b.Top(0) {
		if e.Score != 200 {
			t.Fatalf("%s score = %d, want 200", e.Player, e.Score)
		}
	}
}

func TestSaveLoadJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "board.json")
	b := New()
	b.Submit(Result{Player: "dee", Delta: 50, Win: true})
	if err := b.SaveJSON(path); err != nil {
		t.Fatal(err)
	}
	got, err := LoadJSON(path)
	if err != nil {
		t.Fatal(err)
	}
	if top := got.Top(1); len(top) != 1 || top[0].Wins != 1 {
		t.Fatalf("loaded %+v", top)
	}
}
