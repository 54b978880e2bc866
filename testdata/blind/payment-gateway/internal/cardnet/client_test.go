package cardnet

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestAuthorizeRetriesOn503(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		json.NewEncoder(w).Encode(AuthResponse{Approved: true, Code: "00", NetworkRef: "n1"})
	}))
	defer srv.Close()

	c := NewClient(srv.URL, time.Second, log.New(io.Discard, "", 0))
	c.backoff = time.Millisecond
	resp, err := c.Authorize(context.Background(), AuthRequest{CardToken: "tok", Amount: 100, Currency: "EUR"})
	if err != nil || !resp.Approved {
		t.Fatalf("authorize = %+v, %v", resp, err)
	}
	if calls != 2 {
		t.Fatalf("calls = %d", calls)
	}
}

func TestParseBINRanges(t *testing.T) {
	ranges, err := parseBINRanges(strings.NewReader("510000,559999,mastercard\n400000,499999,visa\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := SchemeFor(ranges, 411111); !ok || s != "visa" {
		t.Fatalf("scheme = %q %v", s, ok)
	}
}
