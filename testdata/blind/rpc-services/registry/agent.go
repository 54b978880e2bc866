package registry

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Agent keeps one local instance registered with a remote registry.
type Agent struct {
	hc       *http.Client
	registry string
	inst     Instance
	every    time.Duration
	log      *slog.Logger
}

// NewAgent returns an agent for inst that heartbeats every interval.
func NewAgent(registryURL string, inst Instance, every time.Duration, log *slog.Logger) *Agent {
	return &Agent{hc: &http.Client{}, registry: registryURL, inst: inst, every: every, log: log}
}

func (a *Agent) instancePath() string {
	return "/v1/instances/" + url.PathEscape(a.inst.Service) + "/" + url.PathEscape(a.inst.ID)
}

func (a *Agent) do(ctx context.Context, method, path string, body any) error {
	var rd io.Reader
	if body != nil {
		buf, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.registry+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}

func (a *Agent) register(ctx context.Context) error {
	return a.do(ctx, http.MethodPost, "/v1/instances", a.inst)
}

func (a *Agent) heartbeat(ctx context.Context) error {
	return a.do(ctx, http.MethodPut, a.instancePath()+"/heartbeat", nil)
}

func (a *Agent) deregister(ctx context.Context) error {
	return a.do(ctx, http.MethodDelete, a.instancePath(), nil)
}

// Run registers, heartbeats until ctx ends, and deregisters on the way out.
func (a *Agent) Run(ctx context.Context) error {
	if err := a.register(ctx); err != nil {
		return err
	}
	defer a.deregister(context.Background()) // HAZ defer-blocking-call
	t := time.NewTicker(a.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := a.heartbeat(ctx); err != nil {
				a.log.Warn("heartbeat failed, registering again", "err", err)
				if err := a.register(ctx); err != nil {
					a.log.Error("register", "err", err)
				}
			}
		}
	}
}

// Announce keeps the instance registered while fn runs. The deferred
// deregistration is bounded by its own two-second timeout.
func (a *Agent) Announce(ctx context.Context, fn func(context.Context) error) error {
	if err := a.register(ctx); err != nil {
		return err
	}
	defer func() {
		dctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := a.deregister(dctx); err != nil {
			a.log.Warn("deregister", "err", err)
		}
	}()
	return fn(ctx)
}

// PushSnapshot streams a snapshot to a peer's replication port, one
// instance per JSON line.
func PushSnapshot(ctx context.Context, addr string, s Snapshot) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetWriteDeadline(dl)
	}
	enc := json.NewEncoder(bw)
	for _, insts := range s.Services {
		for _, inst := range insts {
			if err := enc.Encode(inst); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReplicateTo sends events to a peer. The buffered writer is flushed and
// checked on the success path; the connection close is deferred.
func ReplicateTo(ctx context.Context, addr string, events []Event) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetWriteDeadline(dl)
	}
	bw := bufio.NewWriter(conn)
	enc := json.NewEncoder(bw)
	for _, ev := range events {
		if err := enc.Encode(ev); err != nil {
			return err
		}
	}
	return bw.Flush()
}
