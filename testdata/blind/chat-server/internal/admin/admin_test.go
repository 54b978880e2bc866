package admin

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"example.com/chatserver/internal/chat"
)

type fakeSource struct {
	kicked []string
}

func (f *fakeSource) Stats() chat.Stats { return chat.Stats{Clients: 3, Rooms: 1} }

func (f *fakeSource) RoomStats() []chat.RoomStats {
	return []chat.RoomStats{{Name: "#go", Members: 3}}
}

func (f *fakeSource) Kick(nick string) error {
	if nick == "ghost" {
		return chat.ErrNoSuchNick
	}
	f.kicked = append(f.kicked, nick)
	return nil
}

type fakeCompactor struct{ fail bool }

func (c fakeCompactor) Compact(string, int) error {
	if c.fail {
		panic("disk on fire")
	}
	return nil
}

func TestHealth(t *testing.T) {
	srv := httptest.NewServer(New(&fakeSource{}, fakeCompactor{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d", resp.StatusCode)
	}
}

func TestStatsJSON(t *testing.T) {
	h := New(&fakeSource{}, fakeCompactor{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/stats", nil))
	if !strings.Contains(rec.Body.String(), `"clients":3`) {
		t.Fatalf("body = %s", rec.Body.String())
	}
}

func TestRunJobSafeReportsPanic(t *testing.T) {
	h := New(&fakeSource{}, fakeCompactor{fail: true})
	err := h.runJobSafe("compact", func() error { return h.comp.Compact("#go", 1) })
	if err == nil {
		t.Fatal("panic not reported")
	}
	if errors.Is(err, chat.ErrNoSuchNick) {
		t.Fatal("unexpected error kind")
	}
}
