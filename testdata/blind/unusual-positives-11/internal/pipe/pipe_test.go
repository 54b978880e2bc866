package pipe

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"
)

var scratch string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "up11-pipe-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	scratch = dir
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

func TestScatterAll(t *testing.T) {
	targets := []Target[int, int]{
		{Name: "double", Call: func(_ context.Context, x int) (int, error) { return 2 * x, nil }},
		{Name: "square", Call: func(_ context.Context, x int) (int, error) { return x * x, nil }},
	}
	got, err := ScatterAll(context.Background(), 3, targets)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if !slices.Equal(got, []int{6, 9}) {
		t.Fatalf("got %v", got)
	}
}

func TestGatherClosesOut(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	srcs := []func(context.Context) (int, error){
		func(context.Context) (int, error) { return 1, nil },
		func(context.Context) (int, error) { return 0, errors.New("down") },
		func(context.Context) (int, error) { return 3, nil },
	}
	var got []int
	for v := range Gather(ctx, srcs) {
		got = append(got, v)
	}
	if len(got) != 2 {
		t.Fatalf("got %v", got)
	}
}

func TestProbeAll(t *testing.T) {
	eps := []Endpoint{
		{Name: "a", Check: func(context.Context) error { return nil }},
		{Name: "b", Check: func(context.Context) error { return errors.New("refused") }},
	}
	if err := ProbeAll(context.Background(), eps); err == nil {
		t.Fatal("want an error")
	}
}

func TestStartWorkersFrom(t *testing.T) {
	var mu sync.Mutex
	seen := map[int]bool{}
	next, wait := StartWorkersFrom(10, 5, func(id int) {
		mu.Lock()
		defer mu.Unlock()
		seen[id] = true
	})
	wait()
	if next != 15 || len(seen) != 5 {
		t.Fatalf("next=%d seen=%v", next, seen)
	}
}

func TestResolveValidated(t *testing.T) {
	lookup := func(_ context.Context, name string) (string, error) { return "addr-of-" + name, nil }
	ok := func(string) error { return nil }
	got, err := ResolveValidated(context.Background(), "db", lookup, ok)
	if err != nil || got != "addr-of-db" {
		t.Fatalf("got %q, %v", got, err)
	}
	if scratch == "" {
		t.Fatal("TestMain did not run")
	}
}
