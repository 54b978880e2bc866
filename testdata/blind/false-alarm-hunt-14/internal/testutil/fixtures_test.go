package testutil

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReadFixture(t *testing.T) {
	t.Parallel()
	var ev struct{ ID, Topic string }
	if err := json.Unmarshal(ReadFixture(t, "push.json"), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.ID != "a" || ev.Topic != "push" {
		t.Errorf("decoded %+v", ev)
	}
}

func TestWalkFixtures(t *testing.T) {
	t.Parallel()
	var names []string
	WalkFixtures(t, filepath.Join("testdata", "fixtures"), func(name string, r io.Reader) {
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.HasPrefix(string(data), "{") {
			t.Errorf("%s: not JSON", name)
		}
		names = append(names, name)
	})
	if strings.Join(names, ",") != "push.json,tag.json" {
		t.Errorf("visited %v", names)
	}
}

func TestMustPanic(t *testing.T) {
	t.Parallel()
	MustPanic(t, "index out of range", func() {
		var s []int
		_ = s[3]
	})
}

func TestPanicValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    func()
		want any
	}{
		{"no panic", func() {}, nil},
		{"string", func() { panic("boom") }, "boom"},
		{"error", func() { panic(io.EOF) }, io.EOF},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := PanicValue(tc.f)
			if err, ok := tc.want.(error); ok {
				if gotErr, _ := got.(error); !errors.Is(gotErr, err) {
					t.Errorf("PanicValue = %v, want %v", got, tc.want)
				}
				return
			}
			if got != tc.want {
				t.Errorf("PanicValue = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCatchPanicQuiet(t *testing.T) {
	defer CatchPanic(t)
	if v := PanicValue(func() { panic("contained") }); v != "contained" {
		t.Errorf("PanicValue = %v", v)
	}
}

var retryDelay = 50 * time.Millisecond

func TestSwap(t *testing.T) {
	defer Swap(&retryDelay, time.Millisecond)()
	if retryDelay != time.Millisecond {
		t.Fatalf("retryDelay = %s inside the swap", retryDelay)
	}
}

func TestSwapRestores(t *testing.T) {
	restore := Swap(&retryDelay, time.Hour)
	restore()
	if retryDelay != 50*time.Millisecond {
		t.Errorf("retryDelay = %s after restore", retryDelay)
	}
}

func TestNewServerAndRecv(t *testing.T) {
	t.Parallel()
	hits := make(chan string, 1)
	srv := NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case hits <- r.URL.Path:
		default:
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	resp, err := srv.Client().Get(srv.URL + "/ping")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := Recv(t, hits, time.Second); got != "/ping" {
		t.Errorf("server saw %q", got)
	}
}

func TestEventually(t *testing.T) {
	t.Parallel()
	n := 0
	Eventually(t, time.Second, time.Millisecond, func() bool {
		n++
		return n >= 3
	})
	if n != 3 {
		t.Errorf("cond evaluated %d times", n)
	}
}
