package health

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"

	"example.com/fah26/internal/backend"
)

// Doer is the part of *http.Client the probers use; tests substitute it.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// HTTPProber issues GET Path against the backend and expects a non-5xx reply.
type HTTPProber struct {
	Client *http.Client
	Path   string
}

func (p HTTPProber) client() *http.Client {
	if p.Client != nil {
		return p.Client
	}
	return http.DefaultClient
}

// Probe implements Prober.
func (p HTTPProber) Probe(ctx context.Context, b *backend.Backend) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+b.Addr+p.Path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "fah26-health/1")
	resp, err := p.client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	// drain a little so the connection can be reused
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 500 {
		return fmt.Errorf("health: %s answered %s", b.Name, resp.Status)
	}
	return nil
}

// TCPProber checks that the backend accepts connections and, if Expect is
// set, that it greets with that banner.
type TCPProber struct {
	Expect string
}

// Probe implements Prober.
func (p TCPProber) Probe(ctx context.Context, b *backend.Backend) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", b.Addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if p.Expect == "" {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetReadDeadline(dl); err != nil {
			return err
		}
	}
	buf := make([]byte, len(p.Expect))
	if _, err := io.ReadFull(conn, buf); err != nil {
		return fmt.Errorf("health: %s banner: %w", b.Name, err)
	}
	if string(buf) != p.Expect {
		return fmt.Errorf("health: %s banner %q, want %q", b.Name, buf, p.Expect)
	}
	return nil
}

var errNotReady = errors.New("health: backend reports not ready")

// StatusProber reads the backend's JSON /status document and requires
// "ready": true.
type StatusProber struct {
	Client Doer
}

// Probe implements Prober.
func (p StatusProber) Probe(ctx context.Context, b *backend.Backend) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+b.Addr+"/status", nil)
	if err != nil {
		return err
	}
	resp, err := p.Client.Do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("health: %s status: %w", b.Name, err)
	}
	var st struct {
		Ready bool `json:"ready"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&st); err != nil {
		return fmt.Errorf("health: %s status: %w", b.Name, err)
	}
	if !st.Ready {
		return errNotReady
	}
	return nil
}

// ChainProber runs several probers in order and fails on the first failure.
type ChainProber []Prober

// Probe implements Prober.
func (c ChainProber) Probe(ctx context.Context, b *backend.Backend) error {
	for _, p := range c {
		if err := p.Probe(ctx, b); err != nil {
			return err
		}
	}
	return nil
}
