// Package credentials provides the access keys used to sign storage requests.
package credentials

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrNoCredentials is returned when no provider could supply usable keys.
var ErrNoCredentials = errors.New("credentials: no credentials found")

// Credentials is one set of access keys.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expires         time.Time
	Source          string
}

// Valid reports whether both halves of the key pair are present.
func (c Credentials) Valid() bool {
	return c.AccessKeyID != "" && c.SecretAccessKey != ""
}

// Expired reports whether the credentials expire within window of now.
func (c Credentials) Expired(now time.Time, window time.Duration) bool {
	if c.Expires.IsZero() {
		return false
	}
	return !now.Add(window).Before(c.Expires)
}

// Redacted returns a printable form that never shows the secret.
func (c Credentials) Redacted() string {
	id := c.AccessKeyID
	if len(id) > 4 {
		id = id[:4] + strings.Repeat("*", len(id)-4)
	}
	return fmt.Sprintf("%s (from %s)", id, c.Source)
}

// Provider supplies credentials.
type Provider interface {
	Retrieve(ctx context.Context) (Credentials, error)
}

// StaticProvider always returns the same keys.
type StaticProvider struct {
	Creds Credentials
}

// Retrieve returns the static keys.
func (s StaticProvider) Retrieve(context.Context) (Credentials, error) {
	if !s.Creds.Valid() {
		return Credentials{}, ErrNoCredentials
	}
	c := s.Creds
	c.Source = "static"
	return c, nil
}

// EnvProvider reads keys from environment variables with the given prefix.
type EnvProvider struct {
	Prefix string
}

// Retrieve reads PREFIX_ACCESS_KEY_ID, PREFIX_SECRET_ACCESS_KEY and PREFIX_SESSION_TOKEN.
func (e EnvProvider) Retrieve(context.Context) (Credentials, error) {
	prefix := e.Prefix
	if prefix == "" {
		prefix = "CLOUDSTORE"
	}
	c := Credentials{
		AccessKeyID:     os.Getenv(prefix + "_ACCESS_KEY_ID"),
		SecretAccessKey: os.Getenv(prefix + "_SECRET_ACCESS_KEY"),
		SessionToken:    os.Getenv(prefix + "_SESSION_TOKEN"),
		Source:          "env",
	}
	if !c.Valid() {
		return Credentials{}, ErrNoCredentials
	}
	return c, nil
}

// FileProvider reads an INI-style shared credentials file.
type FileProvider struct {
	Path    string
	Profile string
}

func (p FileProvider) path() string {
	if p.Path != "" {
		return p.Path
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".cloudstore", "credentials")
}

// Retrieve parses the profile out of the credentials file.
func (p FileProvider) Retrieve(context.Context) (Credentials, error) {
	path := p.path()
	if path == "" {
		return Credentials{}, ErrNoCredentials
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Credentials{}, ErrNoCredentials
		}
		return Credentials{}, err
	}
	defer f.Close()
	profile := p.Profile
	if profile == "" {
		profile = "default"
	}
	return parseProfile(f, profile)
}

// parseProfile scans an INI stream for one [profile] section.
func parseProfile(r io.Reader, profile string) (Credentials, error) {
	sc := bufio.NewScanner(r)
	in := false
	c := Credentials{Source: "file:" + profile}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			in = strings.TrimSpace(line[1:len(line)-1]) == profile
			continue
		}
		if !in {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "access_key_id":
			c.AccessKeyID = strings.TrimSpace(v)
		case "secret_access_key":
			c.SecretAccessKey = strings.TrimSpace(v)
		case "session_token":
			c.SessionToken = strings.TrimSpace(v)
		}
	}
	if err := sc.Err(); err != nil {
		return Credentials{}, err
	}
	if !c.Valid() {
		return Credentials{}, ErrNoCredentials
	}
	return c, nil
}

// ChainProvider tries each provider in order and returns the first keys found.
type ChainProvider struct {
	Providers []Provider
}

// Retrieve walks the chain sequentially.
func (c ChainProvider) Retrieve(ctx context.Context) (Credentials, error) {
	var errs []error
	for _, p := range c.Providers {
		creds, err := p.Retrieve(ctx)
		if err == nil {
			return creds, nil
		}
		if !errors.Is(err, ErrNoCredentials) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return Credentials{}, errors.Join(errs...)
	}
	return Credentials{}, ErrNoCredentials
}

// FirstAvailable probes every provider at once and returns the keys of the
// highest-priority provider that answered.
func FirstAvailable(ctx context.Context, providers []Provider) (Credentials, error) {
	results := make([]Credentials, len(providers))
	var wg sync.WaitGroup
	for i, p := range providers {
		wg.Add(1)
		go func() {
			creds, err := p.Retrieve(ctx)
			if err != nil {
				return
			}
			results[i] = creds
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	for _, c := range results {
		if c.Valid() {
			return c, nil
		}
	}
	return Credentials{}, ErrNoCredentials
}

// ProbeAll asks every provider concurrently and reports which ones work.
func ProbeAll(ctx context.Context, providers []Provider) map[int]error {
	errs := make([]error, len(providers))
	var wg sync.WaitGroup
	for i, p := range providers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = p.Retrieve(ctx)
		}()
	}
	wg.Wait()
	out := make(map[int]error, len(errs))
	for i, err := range errs {
		out[i] = err
	}
	return out
}

// DefaultChain is the provider chain used by the CLI and the daemon.
func DefaultChain(profile string) Provider {
	return ChainProvider{Providers: []Provider{
		EnvProvider{},
		FileProvider{Profile: profile},
	}}
}
