package signing

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSignVerifyRoundTrip(t *testing.T) {
	secret := []byte("whsec_test")
	body := []byte(`{"type":"invoice.paid"}`)
	now := time.Unix(1700000000, 0)
	h := Sign(secret, now, body)
	if !strings.HasPrefix(h, "t=1700000000,v1=") {
		t.Fatalf("unexpected header %q", h)
	}
	if err := Verify(secret, h, body, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestVerifyRejects(t *testing.T) {
	secret := []byte("whsec_test")
	body := []byte(`{}`)
	now := time.Unix(1700000000, 0)
	good := Sign(secret, now, body)

	cases := []struct {
		name   string
		header string
		body   []byte
		at     time.Time
		want   error
	}{
		{"malformed", "garbage", body, now, ErrMalformed},
		{"no signature", "t=1700000000", body, now, ErrMalformed},
		{"expired", good, body, now.Add(time.Hour), ErrExpired},
		{"tampered body", good, []byte(`{"x":1}`), now, ErrMismatch},
		{"wrong secret", Sign([]byte("other"), now, body), body, now, ErrMismatch},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := Verify(secret, tc.header, tc.body, tc.at, 5*time.Minute)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestParseAcceptsRotation(t *testing.T) {
	now := time.Unix(1700000000, 0)
	body := []byte("x")
	h := Sign([]byte("old"), now, body) + ",v1=" + strings.TrimPrefix(Sign([]byte("new"), now, body), "t=1700000000,v1=")
	_, sigs, err := Parse(h)
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 2 {
		t.Fatalf("got %d signatures, want 2", len(sigs))
	}
	if err := Verify([]byte("new"), h, body, now, time.Minute); err != nil {
		t.Fatalf("rotated secret rejected: %v", err)
	}
}
