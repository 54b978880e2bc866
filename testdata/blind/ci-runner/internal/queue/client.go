// Package queue talks to the job queue: the coordinator's HTTP queue in
// production and an in-memory queue for local runs and tests.
package queue

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"strings"
	"time"

	"example.com/cirunner/internal/job"
)

// ErrClosed is returned by a queue that has been shut down.
var ErrClosed = errors.New("queue: closed")

// Client is a long-polling client for the coordinator's queue API.
type Client struct {
	base     *url.URL
	http     *http.Client
	runnerID string
	token    string
}

// NewClient returns a client for the coordinator at base.
func NewClient(base, runnerID, token string) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("queue url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("queue url %q: unsupported scheme", base)
	}
	return &Client{
		base:     u,
		http:     &http.Client{Timeout: 90 * time.Second},
		runnerID: runnerID,
		token:    token,
	}, nil
}

func (c *Client) newRequest(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	u := c.base.JoinPath(path)
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("X-Runner-ID", c.runnerID)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// Next long-polls for the next job. It returns (nil, nil) when the poll
// ended without work.
func (c *Client) Next(ctx context.Context) (*job.Job, error) {
	req, err := c.newRequest(ctx, http.MethodPost, "/jobs/next", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("poll queue: %w", err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return job.Decode(resp.Body)
	case http.StatusNoContent:
		return nil, nil
	default:
		return nil, statusError(resp)
	}
}

type ackBody struct {
	Status job.Status `json:"status"`
}

// Ack reports the final status of a job and releases its lease.
func (c *Client) Ack(ctx context.Context, id string, st job.Status) error {
	body, err := json.Marshal(ackBody{Status: st})
	if err != nil {
		return err
	}
	req, err := c.newRequest(ctx, http.MethodPost, "/jobs/"+url.PathEscape(id)+"/ack", bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("ack %s: %w", id, err)
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := resp.Body.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if resp.StatusCode != http.StatusNoContent {
		return statusError(resp)
	}
	return nil
}

// Heartbeat extends the lease on job id.
func (c *Client) Heartbeat(ctx context.Context, id string) error {
	req, err := c.newRequest(ctx, http.MethodPost, "/jobs/"+url.PathEscape(id)+"/lease", nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusGone {
		return fmt.Errorf("lease for job %s was lost", id)
	}
	if resp.StatusCode != http.StatusNoContent {
		return statusError(resp)
	}
	return nil
}

// KeepAlive extends the lease of job id every interval for as long as the
// process lives. It is used by the one-shot mode of the runner, where the
// process exits when the job is done.
func (c *Client) KeepAlive(id string, every time.Duration) {
	t := time.NewTicker(every)
	for range t.C {
		req, err := c.newRequest(context.Background(), http.MethodPost, "/jobs/"+url.PathEscape(id)+"/lease", nil)
		if err != nil {
			log.Printf("queue: keepalive %s: %v", id, err)
			continue
		}
		resp, err := c.http.Do(req)
		if err != nil {
			log.Printf("queue: keepalive %s: %v", id, err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-infinite-loop
		if resp.StatusCode != http.StatusNoContent {
			log.Printf("queue: keepalive %s: %s", id, resp.Status)
		}
	}
}

// statusError turns an unexpected response into an error that quotes the
// start of the body.
func statusError(resp *http.Response) error {
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	return fmt.Errorf("queue: %s: %s", resp.Status, strings.TrimSpace(string(msg)))
}
