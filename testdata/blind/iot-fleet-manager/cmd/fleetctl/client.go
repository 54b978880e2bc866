package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// client talks to the fleetd operator API.
type client struct {
	base  string
	token string
	http  *http.Client
}

func newClient(base, token string) *client {
	return &client{
		base:  strings.TrimRight(base, "/"),
		token: token,
		http:  &http.Client{Timeout: 60 * time.Second},
	}
}

// do sends a JSON request and decodes a JSON response into out.
func (c *client) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("X-Operator", operatorName())
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(msg))
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// stream opens a long-lived GET; the caller closes the body.
func (c *client) stream(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "text/event-stream")
	streaming := &http.Client{Transport: c.http.Transport}
	resp, err := streaming.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return resp, nil
}

type deviceInfo struct {
	ID       string    `json:"id"`
	Firmware string    `json:"firmware"`
	Remote   string    `json:"remote"`
	LastSeen time.Time `json:"last_seen"`
}

func (c *client) listDevices(ctx context.Context) ([]deviceInfo, error) {
	var out []deviceInfo
	err := c.do(ctx, http.MethodGet, "/v1/devices", nil, &out)
	return out, err
}

func (c *client) sendCommand(ctx context.Context, device, name, args string) (map[string]any, error) {
	body := map[string]any{"device_id": device, "name": name}
	if args != "" {
		body["args"] = []byte(args)
	}
	var out map[string]any
	err := c.do(ctx, http.MethodPost, "/v1/devices/command", body, &out)
	return out, err
}
