// Package client is the Go client of the engine's HTTP API.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrLeaseLost is returned when the server no longer recognises our lease.
var ErrLeaseLost = errors.New("client: task lease lost")

// APIError is a non-2xx answer from the server.
type APIError struct {
	Status  int
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("server returned %d: %s", e.Status, e.Message)
}

// Client talks to one engine endpoint.
type Client struct {
	base        string
	hc          *http.Client
	lastContact atomic.Int64 // unix nanos of the last answered request

	mu      sync.Mutex
	latency map[string]time.Duration // last observed latency per operation
}

// New returns a client for base (e.g. http://127.0.0.1:7233).
func New(base string, timeout time.Duration) *Client {
	return &Client{
		base:    strings.TrimRight(base, "/"),
		hc:      &http.Client{Timeout: timeout},
		latency: make(map[string]time.Duration),
	}
}

// observe starts timing op; the returned function records the latency.
func (c *Client) observe(op string) func() {
	start := time.Now()
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.latency[op] = time.Since(start)
	}
}

// Latency returns the last observed latency of op.
func (c *Client) Latency(op string) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.latency[op]
}

func (c *Client) newRequest(ctx context.Context, method, path string, in any) (*http.Request, error) {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	return req, nil
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	req, err := c.newRequest(ctx, method, path, in)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return decodeError(resp)
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func decodeError(resp *http.Response) error {
	var body struct {
		Error string `json:"error"`
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if json.Unmarshal(data, &body) != nil || body.Error == "" {
		body.Error = strings.TrimSpace(string(data))
	}
	return &APIError{Status: resp.StatusCode, Message: body.Error}
}

// Start launches a workflow and returns its execution ID.
func (c *Client) Start(ctx context.Context, workflow, id string, input json.RawMessage) (string, error) {
	defer c.observe("start")()
	var out struct {
		ID string `json:"id"`
	}
	in := map[string]any{"workflow": workflow, "id": id, "input": input}
	if err := c.do(ctx, http.MethodPost, "/v1/workflows", in, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// Describe fetches the state of an execution.
func (c *Client) Describe(ctx context.Context, id string) (map[string]any, error) {
	var out map[string]any
	err := c.do(ctx, http.MethodGet, "/v1/workflows/"+url.PathEscape(id), nil, &out)
	return out, err
}

// Cancel cancels an execution.
func (c *Client) Cancel(ctx context.Context, id, reason string) error {
	return c.do(ctx, http.MethodPost, "/v1/workflows/"+url.PathEscape(id)+"/cancel", map[string]string{"reason": reason}, nil)
}

// Signal delivers a named signal to a running execution.
func (c *Client) Signal(ctx context.Context, id, name string, payload json.RawMessage) error {
	defer c.observe("signal") // HAZ defer-func-result-not-called
	in := map[string]any{"name": name, "payload": payload}
	return c.do(ctx, http.MethodPost, "/v1/workflows/"+url.PathEscape(id)+"/signals", in, nil)
}

// send performs req, recording when the server was last reachable.
func (c *Client) send(req *http.Request) (*http.Response, error) {
	resp, err := c.hc.Do(req)
	if err == nil {
		c.lastContact.Store(time.Now().UnixNano())
	}
	return resp, err
}

// LastContact is when the server last answered a heartbeat.
func (c *Client) LastContact() time.Time {
	n := c.lastContact.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// Heartbeat reports that the activity holding taskID is alive.
func (c *Client) Heartbeat(ctx context.Context, taskID string, details []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		c.base+"/v1/tasks/"+url.PathEscape(taskID)+"/heartbeat", bytes.NewReader(details))
	if err != nil {
		return err
	}
	resp, err := c.send(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("heartbeat %s: %w", taskID, err)
	}
	switch {
	case resp.StatusCode == http.StatusConflict:
		return ErrLeaseLost
	case resp.StatusCode >= 300:
		return decodeError(resp)
	}
	return nil
}

// TaskInfo is a task leased to this worker.
type TaskInfo struct {
	ID             string          `json:"id"`
	WorkflowID     string          `json:"wf"`
	Activity       string          `json:"activity"`
	Input          json.RawMessage `json:"input,omitempty"`
	Attempt        int             `json:"attempt"`
	MaxAttempts    int             `json:"max_attempts"`
	TimeoutMillis  int64           `json:"timeout_ms"`
	HeartbeatMilli int64           `json:"heartbeat_ms"`
	LeaseToken     uint64          `json:"lease_token"`
}

// PollTask long-polls queue for a task. It returns (nil, nil) when the poll
// timed out on the server without work.
func (c *Client) PollTask(ctx context.Context, queue string) (*TaskInfo, error) {
	req, err := c.newRequest(ctx, http.MethodGet, "/v1/queues/"+url.PathEscape(queue)+"/tasks?wait=30s", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNoContent:
		return nil, nil
	case resp.StatusCode >= 300:
		return nil, decodeError(resp)
	}
	var t TaskInfo
	if err := json.NewDecoder(resp.Body).Decode(&t); err != nil {
		return nil, err
	}
	return &t, nil
}

// CompleteTask reports the outcome of a task.
func (c *Client) CompleteTask(ctx context.Context, taskID string, output []byte, failure string) error {
	in := map[string]any{"output": json.RawMessage(output), "error": failure}
	if len(output) == 0 {
		in["output"] = nil
	}
	return c.do(ctx, http.MethodPost, "/v1/tasks/"+url.PathEscape(taskID)+"/complete", in, nil)
}

// DownloadSegment fetches a sealed history segment into dst.
func (c *Client) DownloadSegment(ctx context.Context, name, dst string) error {
	req, err := c.newRequest(ctx, http.MethodGet, "/v1/history/segments/"+url.PathEscape(name), nil)
	if err != nil {
		return err
	}
	resp, err := c.send(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return decodeError(resp)
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = io.Copy(f, resp.Body)
	return err
}

// DownloadBackup fetches the history tarball into dst, which appears only
// once it is complete and durable.
func (c *Client) DownloadBackup(ctx context.Context, dst string) (err error) {
	req, err := c.newRequest(ctx, http.MethodGet, "/v1/history/backup", nil)
	if err != nil {
		return err
	}
	resp, err := c.send(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return decodeError(resp)
	}
	tmp := dst + ".part"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(tmp)
		} else {
			err = os.Rename(tmp, dst)
		}
	}()
	if _, err := io.Copy(f, resp.Body); err != nil {
		return err
	}
	return f.Sync()
}

// Update is one status observation of an execution.
type Update struct {
	ID     string
	Status string
	Err    error
}

// StatusAll fetches the status of several executions concurrently.
func (c *Client) StatusAll(ctx context.Context, ids []string) <-chan Update {
	out := make(chan Update, len(ids))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, id := range ids {
		go func() {
			ex, err := c.Describe(ctx, id)
			status, _ := ex["status"].(string)
			out <- Update{ID: id, Status: status, Err: err}
		}()
	}
	return out
}
