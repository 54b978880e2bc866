package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var fixtureDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "registry-test-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fixtureDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func fakeClock(start time.Time) (func() time.Time, func(time.Duration)) {
	now := start
	return func() time.Time { return now }, func(d time.Duration) { now = now.Add(d) }
}

func TestRegisterLookup(t *testing.T) {
	r := New(time.Minute)
	for i := range 3 {
		if err := r.Register(Instance{ID: fmt.Sprintf("i%d", i), Service: "greeter", Addr: "10.0.0.1:80"}); err != nil {
			t.Fatal(err)
		}
	}
	got := r.Lookup("greeter")
	if len(got) != 3 || got[0].ID != "i0" || got[0].Weight != 1 {
		t.Fatalf("lookup: %+v", got)
	}
}

func TestExpire(t *testing.T) {
	r := New(time.Minute)
	now, advance := fakeClock(time.Unix(1000, 0))
	r.now = now
	_ = r.Register(Instance{ID: "a", Service: "s", Addr: "x"})
	advance(2 * time.Minute)
	_ = r.Register(Instance{ID: "b", Service: "s", Addr: "y"})
	if n := r.Expire(); n != 1 {
		t.Fatalf("expired %d, want 1", n)
	}
	if got := r.Lookup("s"); len(got) != 1 || got[0].ID != "b" {
		t.Fatalf("lookup after expire: %+v", got)
	}
}

func TestWatchReceivesEvents(t *testing.T) {
	r := New(0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := r.Watch(ctx, "s")
	_ = r.Register(Instance{ID: "a", Service: "s", Addr: "x"})
	select {
	case ev := <-events:
		if ev.Kind != Added || ev.Instance.ID != "a" {
			t.Fatalf("event: %+v", ev)
		}
	case <-time.After(time.Second):
		t.Fatal("no event")
	}
}

func TestReplay(t *testing.T) {
	r := New(0)
	_ = r.Register(Instance{ID: "a", Service: "s", Addr: "x"})
	out := make(chan Event)
	go r.Replay("s", out)
	n := 0
	for range out {
		n++
	}
	if n != 1 {
		t.Fatalf("replayed %d events", n)
	}
}

func TestRoundRobinCycles(t *testing.T) {
	rr := NewRoundRobin([]Instance{{ID: "a"}, {ID: "b"}})
	var seen []string
	for range 4 {
		inst, done, err := rr.Pick(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		done(nil)
		seen = append(seen, inst.ID)
	}
	if strings.Join(seen, "") != "abab" {
		t.Fatalf("order %v", seen)
	}
}

func TestLeastLoadedPrefersIdle(t *testing.T) {
	ll := NewLeastLoaded([]Instance{{ID: "a", Weight: 1}, {ID: "b", Weight: 1}})
	first, done, err := ll.Pick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer done(nil)
	second, done2, err := ll.Pick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer done2(nil)
	if first.ID == second.ID {
		t.Fatalf("both picks went to %s", first.ID)
	}
}

func TestRaceReturnsFirstSuccess(t *testing.T) {
	insts := []Instance{{ID: "slow"}, {ID: "fast"}}
	got, err := Race(context.Background(), insts, func(ctx context.Context, inst Instance) (string, error) {
		if inst.ID == "slow" {
			return "", errors.New("unavailable")
		}
		return inst.ID, nil
	})
	if err != nil || got != "fast" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestSnapshotFileRoundTrip(t *testing.T) {
	r := New(time.Hour)
	_ = r.Register(Instance{ID: "a", Service: "s", Addr: "x"})
	path := filepath.Join(fixtureDir, t.Name()+".json")
	if err := SaveSnapshot(path, r.TakeSnapshot()); err != nil {
		t.Fatal(err)
	}
	snap, err := LoadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	fresh := New(time.Hour)
	if n := fresh.Restore(snap); n != 1 {
		t.Fatalf("restored %d", n)
	}
}

func TestAPILookup(t *testing.T) {
	r := New(time.Hour)
	_ = r.Register(Instance{ID: "a", Service: "s", Addr: "x"})
	srv := httptest.NewServer(NewAPI(r, slog.New(slog.NewTextHandler(io.Discard, nil))).Routes())
	defer srv.Close()
	res := NewResolver(srv.URL, srv.Client(), time.Minute)
	insts, err := res.ResolveAll(context.Background(), []string{"s"})
	if err != nil {
		t.Fatal(err)
	}
	if len(insts["s"]) != 1 {
		t.Fatalf("resolved %+v", insts)
	}
}

func TestAPIRegisterRejectsUnknownFields(t *testing.T) {
	api := NewAPI(New(0), slog.Default())
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/v1/instances", strings.NewReader(`{"id":"a","bogus":1}`))
	api.Routes().ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d", rec.Code)
	}
	var body map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
}
