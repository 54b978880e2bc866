package auth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

var testSecret = []byte("s3cr3t-for-tests")

func signedRequest(t *testing.T, method, target string, at time.Time) *http.Request {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	SignRequest(req, "node-a", testSecret, at)
	return req
}

func TestSignAndVerify(t *testing.T) {
	v := NewVerifier(5 * time.Minute)
	v.AddKey("node-a", testSecret)
	req := signedRequest(t, http.MethodGet, "/photos/cat%20one.jpg", time.Now())
	id, err := v.Verify(req)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if id != "node-a" {
		t.Errorf("key id = %q", id)
	}
}

func TestVerifyRejectsStaleDate(t *testing.T) {
	v := NewVerifier(time.Minute)
	v.AddKey("node-a", testSecret)
	req := signedRequest(t, http.MethodGet, "/photos/x", time.Now().Add(-time.Hour))
	if _, err := v.Verify(req); !errors.Is(err, ErrExpired) {
		t.Fatalf("err = %v, want ErrExpired", err)
	}
}

func TestMiddlewareRejectsUnsigned(t *testing.T) {
	v := NewVerifier(time.Minute)
	called := false
	h := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		called = true
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/photos/x", nil))
	if rec.Code != http.StatusUnauthorized || called {
		t.Fatalf("code = %d, called = %v", rec.Code, called)
	}
}
