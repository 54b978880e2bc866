package credentials

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseProfile(t *testing.T) {
	const ini = `
[default]
access_key_id = AKDEFAULT
secret_access_key = s1

[ci]
access_key_id=AKCI
secret_access_key=s2
session_token=tok
`
	c, err := parseProfile(strings.NewReader(ini), "ci")
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessKeyID != "AKCI" || c.SessionToken != "tok" {
		t.Fatalf("parseProfile = %+v", c)
	}
	if _, err := parseProfile(strings.NewReader(ini), "prod"); !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("missing profile: %v", err)
	}
}

func TestChainFallsThrough(t *testing.T) {
	want := Credentials{AccessKeyID: "A", SecretAccessKey: "B"}
	chain := ChainProvider{Providers: []Provider{StaticProvider{}, StaticProvider{Creds: want}}}
	got, err := chain.Retrieve(context.Background())
	if err != nil || got.AccessKeyID != "A" {
		t.Fatalf("Retrieve = %+v, %v", got, err)
	}
}

func TestRefreshingProviderCaches(t *testing.T) {
	calls := 0
	p := NewRefreshingProvider(func(context.Context) (Credentials, error) {
		calls++
		return Credentials{AccessKeyID: "A", SecretAccessKey: "B", Expires: time.Now().Add(time.Hour)}, nil
	}, time.Minute)
	for i := 0; i < 3; i++ {
		if _, err := p.Retrieve(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 1 {
		t.Fatalf("fetch called %d times, want 1", calls)
	}
}

func TestStartStop(t *testing.T) {
	p := NewRefreshingProvider(func(context.Context) (Credentials, error) {
		return Credentials{AccessKeyID: "A", SecretAccessKey: "B"}, nil
	}, time.Minute)
	p.Start(time.Hour)
	p.Stop()
	p.Stop()
}

func TestRedacted(t *testing.T) {
	c := Credentials{AccessKeyID: "AKIAEXAMPLE", Source: "env"}
	if got := c.Redacted(); strings.Contains(got, "EXAMPLE") {
		t.Fatalf("Redacted leaked the key: %q", got)
	}
}
