package httpmw

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestChainOrder(t *testing.T) {
	var order []string
	mark := func(name string) Middleware {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), mark("a"), mark("b"), mark("c"))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	if got := strings.Join(order, ","); got != "a,b,c" {
		t.Fatalf("order = %q, want a,b,c", got)
	}
}

func TestSafeRecoverer(t *testing.T) {
	logger := log.New(io.Discard, "", 0)
	h := SafeRecoverer(logger)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d", rec.Code)
	}
}

func TestGateWrapReleases(t *testing.T) {
	g := NewGate(1)
	h := g.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for i := 0; i < 3; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("request %d: status %d", i, rec.Code)
		}
	}
	if g.Shed() != 0 {
		t.Fatalf("shed = %d", g.Shed())
	}
}

func TestDeadline(t *testing.T) {
	cases := []struct {
		name  string
		sleep time.Duration
		want  int
	}{
		{"fast", 0, http.StatusOK},
		{"slow", 200 * time.Millisecond, http.StatusGatewayTimeout},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(Deadline(50 * time.Millisecond)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-time.After(tc.sleep):
				case <-r.Context().Done():
				}
				_, _ = io.WriteString(w, "ok")
			})))
			defer srv.Close()
			resp, err := http.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
}

func TestLimiterForget(t *testing.T) {
	l := NewLimiter(1, 1)
	if !l.Allow("10.0.0.1") {
		t.Fatal("first request refused")
	}
	if !l.Forget("10.0.0.1") || l.Forget("10.0.0.1") {
		t.Fatal("Forget did not report the bucket once")
	}
}
