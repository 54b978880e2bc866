package metrics

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Pusher sends gathered metrics to a push gateway.
type Pusher struct {
	reg    *Registry
	url    string
	job    string
	client *http.Client
	dialer net.Dialer
}

// NewPusher returns a Pusher for gateway URL and job name.
func NewPusher(reg *Registry, gateway, job string) *Pusher {
	return &Pusher{reg: reg, url: gateway, job: job, client: &http.Client{Timeout: 10 * time.Second}}
}

// Push replaces the job's metrics on the gateway. The response body is
// closed only after the error check.
func (p *Pusher) Push(ctx context.Context) error {
	fams, err := p.reg.Gather()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, fams); err != nil {
		return err
	}
	u := p.url + "/metrics/job/" + url.PathEscape(p.job)
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u, &buf)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain; version=0.0.4")
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("metrics: push to %s: %s: %s", u, resp.Status, bytes.TrimSpace(body))
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// Delete removes the job's metrics from the gateway.
func (p *Pusher) Delete(ctx context.Context) error {
	u := p.url + "/metrics/job/" + url.PathEscape(p.job)
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, u, nil)
	if err != nil {
		return err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted && resp.StatusCode/100 != 2 {
		return fmt.Errorf("metrics: delete %s: %s", u, resp.Status)
	}
	return nil
}

// PushRaw streams the gzipped text format to a raw TCP ingester.
func (p *Pusher) PushRaw(ctx context.Context, addr string) error {
	fams, err := p.reg.Gather()
	if err != nil {
		return err
	}
	conn, err := p.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(conn)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	return WriteText(zw, fams)
}

// PushRawChecked is PushRaw done right: the gzip stream is closed, and its
// error checked, before the connection it writes into.
func (p *Pusher) PushRawChecked(ctx context.Context, addr string) (err error) {
	fams, err := p.reg.Gather()
	if err != nil {
		return err
	}
	conn, err := p.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	zw := gzip.NewWriter(conn)
	if err := WriteText(zw, fams); err != nil {
		zw.Close()
		return err
	}
	return zw.Close()
}
