package objstore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Client talks to an object store server.
type Client struct {
	base string
	hc   *http.Client
}

// NewClient returns a client for the store at base, e.g. http://127.0.0.1:9000.
// A zero timeout means no overall request timeout (uploads can be long); use
// contexts to bound them.
func NewClient(base string, timeout time.Duration) *Client {
	return &Client{base: strings.TrimRight(base, "/"), hc: &http.Client{Timeout: timeout}}
}

func (c *Client) url(key string) string {
	return c.base + "/o/" + url.PathEscape(key)
}

func statusError(op, key string, resp *http.Response) error {
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	return fmt.Errorf("%s %s: %s: %s", op, key, resp.Status, bytes.TrimSpace(msg))
}

// putETag uploads body under key and returns the ETag the store computed.
func (c *Client) putETag(ctx context.Context, key string, body io.Reader) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.url(key), body)
	if err != nil {
		return "", err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return "", statusError("put", key, resp)
	}
	return resp.Header.Get("ETag"), nil
}

// Put uploads body under key.
func (c *Client) Put(ctx context.Context, key string, body io.Reader) error {
	_, err := c.putETag(ctx, key, body)
	return err
}

// Get downloads the object key.
func (c *Client) Get(ctx context.Context, key string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(key), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", key, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, statusError("get", key, resp)
	}
	return io.ReadAll(resp.Body)
}

// send performs req, retrying idempotent requests once on a 5xx answer.
func (c *Client) send(req *http.Request) (*http.Response, error) {
	resp, err := c.hc.Do(req)
	if err != nil || resp.StatusCode < 500 || req.Method != http.MethodGet {
		return resp, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	time.Sleep(200 * time.Millisecond)
	return c.hc.Do(req)
}

// Exists reports whether key is present. A transport error counts as absent:
// the caller re-uploads.
func (c *Client) Exists(ctx context.Context, key string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.url(key), nil)
	if err != nil {
		return false
	}
	resp, _ := c.send(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode == http.StatusOK
}

// Delete removes key; deleting a missing key is not an error.
func (c *Client) Delete(ctx context.Context, key string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.url(key), nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusNotFound {
		return statusError("delete", key, resp)
	}
	return nil
}

// List returns the keys that start with prefix.
func (c *Client) List(ctx context.Context, prefix string) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/o/?prefix="+url.QueryEscape(prefix), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(req)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", prefix, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, statusError("list", prefix, resp)
	}
	var entries []listEntry
	if err := json.NewDecoder(resp.Body).Decode(&entries); err != nil {
		return nil, err
	}
	keys := make([]string, len(entries))
	for i, e := range entries {
		keys[i] = e.Key
	}
	return keys, nil
}

// UploadFile uploads the file at path under key.
func (c *Client) UploadFile(ctx context.Context, key, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return c.Put(ctx, key, f)
}

// Size returns the size of key. Stores that refuse HEAD are asked with a GET
// whose body is not read.
func (c *Client) Size(ctx context.Context, key string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.url(key), nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.send(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close() // HAZ defer-eager-evaluation
	if resp.StatusCode == http.StatusMethodNotAllowed {
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, c.url(key), nil)
		if err != nil {
			return 0, err
		}
		resp, err = c.send(req)
		if err != nil {
			return 0, err
		}
	}
	if resp.StatusCode != http.StatusOK {
		return 0, statusError("size", key, resp)
	}
	return resp.ContentLength, nil
}
