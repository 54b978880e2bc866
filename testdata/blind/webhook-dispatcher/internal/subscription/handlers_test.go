package subscription

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func newTestAPI(t *testing.T) (*API, chan AuditEvent) {
	t.Helper()
	store, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	audit := make(chan AuditEvent, 16)
	return NewAPI(store, audit, log.New(io.Discard, "", 0)), audit
}

func TestCreateRequiresTenant(t *testing.T) {
	api, _ := newTestAPI(t)
	req := httptest.NewRequest(http.MethodPost, "/v1/subscriptions", strings.NewReader(`{}`))
	rec := httptest.NewRecorder()
	api.Routes().ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status = %d, want 400", rec.Code)
	}
}

func TestCreateThenList(t *testing.T) {
	api, audit := newTestAPI(t)
	body := `{"url":"http://127.0.0.1:9/hook","events":["invoice.*"]}`
	req := httptest.NewRequest(http.MethodPost, "/v1/subscriptions", strings.NewReader(body))
	req.Header.Set("X-Tenant-ID", "acme")
	rec := httptest.NewRecorder()
	api.Routes().ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create status = %d: %s", rec.Code, rec.Body)
	}
	if ev := <-audit; ev.Action != "create" || ev.Tenant != "acme" {
		t.Fatalf("unexpected audit event %+v", ev)
	}

	req = httptest.NewRequest(http.MethodGet, "/v1/subscriptions", nil)
	req.Header.Set("X-Tenant-ID", "acme")
	rec = httptest.NewRecorder()
	api.Routes().ServeHTTP(rec, req)
	var subs []Subscription
	if err := json.NewDecoder(rec.Body).Decode(&subs); err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || !subs[0].Matches("invoice.paid") {
		t.Fatalf("unexpected list %+v", subs)
	}
	if !strings.HasSuffix(subs[0].Secret, "...") {
		t.Fatalf("secret not redacted: %q", subs[0].Secret)
	}
}

func TestMatches(t *testing.T) {
	sub := Subscription{Active: true, Events: []string{"invoice.*", "customer.created"}}
	for event, want := range map[string]bool{
		"invoice.paid":     true,
		"customer.created": true,
		"customer.deleted": false,
	} {
		if got := sub.Matches(event); got != want {
			t.Errorf("Matches(%q) = %v, want %v", event, got, want)
		}
	}
}
