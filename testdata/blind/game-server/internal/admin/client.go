package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"example.com/gamesrv/internal/leaderboard"
)

// Client talks to the admin API; used by ops tooling and the load bot.
type Client struct {
	base  string
	token string
	hc    *http.Client

	latency atomic.Int64 // of the last status call, for the dashboard
}

// NewClient returns a client for the API at base (e.g. http://host:9090).
func NewClient(base, token string) *Client {
	return &Client{base: strings.TrimRight(base, "/"), token: token, hc: &http.Client{Timeout: 10 * time.Second}}
}

func (c *Client) newRequest(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	return req, nil
}

func decodeResponse(resp *http.Response, v any) error {
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("admin: %s: %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	if v == nil {
		_, err := io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// Status fetches GET /status.
func (c *Client) Status(ctx context.Context) (Status, error) {
	req, err := c.newRequest(ctx, http.MethodGet, "/status", nil)
	if err != nil {
		return Status{}, err
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	c.latency.Store(int64(time.Since(start)))
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return Status{}, err
	}
	var st Status
	return st, decodeResponse(resp, &st)
}

// Leaderboard fetches the top n entries.
func (c *Client) Leaderboard(ctx context.Context, n int) ([]leaderboard.Entry, error) {
	req, err := c.newRequest(ctx, http.MethodGet, "/leaderboard?n="+strconv.Itoa(n), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var entries []leaderboard.Entry
	return entries, decodeResponse(resp, &entries)
}

// Kick disconnects a player.
func (c *Client) Kick(ctx context.Context, player, reason string) error {
	form := url.Values{"player": {player}, "reason": {reason}}
	req, err := c.newRequest(ctx, http.MethodPost, "/players/kick", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("admin: kick %s: %w", player, err)
	}
	defer resp.Body.Close()
	return decodeResponse(resp, nil)
}

// Overview is what the ops dashboard shows.
type Overview struct {
	Status  Status
	Top     []leaderboard.Entry
	Latency time.Duration
}

type topResult struct {
	entries []leaderboard.Entry
	err     error
}

// Overview fetches status and the top ten concurrently.
func (c *Client) Overview(ctx context.Context) (Overview, error) {
	topc := make(chan topResult)
	go func() { e, err := c.Leaderboard(ctx, 10); topc <- topResult{e, err} }() // HAZ goroutine-blocked-send
	st, err := c.Status(ctx)
	if err != nil {
		return Overview{}, err
	}
	top := <-topc
	if top.err != nil {
		return Overview{}, top.err
	}
	return Overview{Status: st, Top: top.entries, Latency: time.Duration(c.latency.Load())}, nil
}

// WaitReady polls /status until the server answers or ctx ends.
func (c *Client) WaitReady(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := c.Status(ctx); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
