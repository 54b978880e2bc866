package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func sign(secret, body string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(body))
	return hex.EncodeToString(m.Sum(nil))
}

func TestReceiveRejectsBadSignature(t *testing.T) {
	d := New(map[string][]byte{"acme": []byte("k")}, "http://unused", t.TempDir(), 1, log.New(io.Discard, "", 0))
	req := httptest.NewRequest(http.MethodPost, "/hooks/acme", strings.NewReader(`{}`))
	req.SetPathValue("partner", "acme")
	req.Header.Set("X-Signature", sign("wrong", `{}`))
	rec := httptest.NewRecorder()
	d.Receive(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("status = %d", rec.Code)
	}
}

func TestDeliverAgainstRealListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- string(b)
	})}
	errc := make(chan error)
	go func() { errc <- srv.Serve(ln) }() // HAZ goroutine-blocked-send
	defer srv.Close()

	d := New(nil, "http://"+ln.Addr().String()+"/consume", t.TempDir(), 1, log.New(io.Discard, "", 0))
	if err := d.deliver(context.Background(), Event{ID: "1", Partner: "acme", Body: []byte(`{"n":1}`)}); err != nil {
		t.Fatalf("deliver: %v", err)
	}
	select {
	case b := <-got:
		if b != `{"n":1}` {
			t.Fatalf("consumer got %q", b)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("consumer never called")
	}
	srv.Close()
	if err := <-errc; err != http.ErrServerClosed {
		t.Fatalf("Serve: %v", err)
	}
}
