package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"example.com/flagsvc/internal/flags"
)

var errNotFound = errors.New("flag not found")

// apiClient talks to the flag service API.
type apiClient struct {
	base   string
	token  string
	http   *http.Client // request/response calls, with a timeout
	stream *http.Client // long-lived SSE connections, no timeout
}

func newAPIClient(cfg config) *apiClient {
	return &apiClient{
		base:   strings.TrimRight(cfg.Server, "/"),
		token:  cfg.Token,
		http:   &http.Client{Timeout: 30 * time.Second},
		stream: &http.Client{},
	}
}

func (c *apiClient) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return errNotFound
	}
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(msg))
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (c *apiClient) listFlags(ctx context.Context) ([]*flags.Flag, error) {
	var list []*flags.Flag
	err := c.do(ctx, http.MethodGet, "/flags", nil, &list)
	return list, err
}

func (c *apiClient) getFlag(ctx context.Context, key string) (*flags.Flag, error) {
	var f flags.Flag
	if err := c.do(ctx, http.MethodGet, "/flags/"+key, nil, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

func (c *apiClient) putFlag(ctx context.Context, f *flags.Flag) error {
	return c.do(ctx, http.MethodPut, "/flags/"+f.Key, f, nil)
}

func (c *apiClient) toggle(ctx context.Context, key string, on bool) (*flags.Flag, error) {
	var f flags.Flag
	err := c.do(ctx, http.MethodPost, fmt.Sprintf("/flags/%s/toggle?on=%t", key, on), nil, &f)
	return &f, err
}

// restore puts back earlier versions of flags, best effort.
func (c *apiClient) restore(ctx context.Context, previous []*flags.Flag) {
	for _, f := range previous {
		if err := c.putFlag(ctx, f); err != nil {
			fmt.Printf("rollback of %s failed: %v\n", f.Key, err)
		}
	}
}
