package webhook

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

var testSecret = []byte("0123456789abcdef0123")

func TestSignVerifyRoundTrip(t *testing.T) {
	now := time.Now()
	body := []byte(`{"id":"evt_1"}`)
	h := Sign(testSecret, now, body)
	if err := Verify(testSecret, h, body, now, time.Minute); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if err := Verify(testSecret, h, []byte(`{"id":"evt_2"}`), now, time.Minute); err == nil {
		t.Fatal("Verify accepted a tampered body")
	}
}

func TestReplayCountsAccepted(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := Verify(testSecret, r.Header.Get(SignatureHeader), body, time.Now(), time.Minute); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	reg := NewRegistry()
	if err := reg.Replace(Endpoint{MerchantID: "m1", URL: srv.URL, Secret: testSecret}); err != nil {
		t.Fatal(err)
	}
	d := NewDeliverer(reg, log.New(io.Discard, "", 0))
	events := []Event{{ID: "e1", MerchantID: "m1"}, {ID: "e2", MerchantID: "m1"}}
	n, err := d.Replay(context.Background(), events)
	if err != nil || n != 2 {
		t.Fatalf("Replay = %d, %v; want 2, nil", n, err)
	}
	if hits.Load() != 2 {
		t.Fatalf("server saw %d requests", hits.Load())
	}
}

func TestBackoffIsCapped(t *testing.T) {
	d := NewDeliverer(NewRegistry(), log.New(io.Discard, "", 0))
	for attempt, want := range map[int]time.Duration{1: 500 * time.Millisecond, 2: time.Second, 40: time.Minute} {
		if got := d.backoffFor(attempt); got != want {
			t.Errorf("backoffFor(%d) = %s, want %s", attempt, got, want)
		}
	}
}
