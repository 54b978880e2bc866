package web

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"example.com/newsletter/internal/subscribers"
	"example.com/newsletter/internal/templates"
)

func newTestServer(t *testing.T) (*Server, *subscribers.Store) {
	t.Helper()
	st := subscribers.NewStore([]byte("test"))
	r := templates.NewRenderer(t.TempDir(), "http://example.test")
	return NewServer(st, r, log.New(io.Discard, "", 0), Options{}), st
}

func TestUnsubscribeLink(t *testing.T) {
	srv, st := newTestServer(t)
	sub, err := st.Add("weekly", "reader@example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Routes())
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/u?t=" + url.QueryEscape(sub.Token))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "reader@example.com") {
		t.Fatalf("status %d body %q", resp.StatusCode, body)
	}
	got, _ := st.Get("weekly", "reader@example.com")
	if got.Status != subscribers.Unsubscribed {
		t.Fatalf("status = %v", got.Status)
	}
}

func TestOneClickNeedsForm(t *testing.T) {
	srv, _ := newTestServer(t)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/u?t=x", strings.NewReader("List-Unsubscribe=Nope"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	srv.Routes().ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("code = %d, want 400", rec.Code)
	}
}
