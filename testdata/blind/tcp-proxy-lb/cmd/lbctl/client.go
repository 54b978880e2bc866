package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

type client struct {
	base  string
	token string
	hc    *http.Client
}

func newClient(addr, token string) *client {
	return &client{base: "http://" + addr, token: token, hc: &http.Client{Timeout: 10 * time.Second}}
}

func (c *client) do(method, path string, q url.Values, out any) error {
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		return err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(msg)))
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (c *client) get(path string, q url.Values, out any) error {
	return c.do(http.MethodGet, path, q, out)
}

func (c *client) post(path string, q url.Values, out any) error {
	return c.do(http.MethodPost, path, q, out)
}

// backendStats mirrors backend.Stats without importing the daemon.
type backendStats struct {
	Addr     string    `json:"addr"`
	Weight   int       `json:"weight"`
	Healthy  bool      `json:"healthy"`
	Draining bool      `json:"draining"`
	Active   int64     `json:"active"`
	Total    int64     `json:"total"`
	BytesIn  int64     `json:"bytes_in"`
	BytesOut int64     `json:"bytes_out"`
	LastOK   time.Time `json:"last_ok"`
	Breaker  string    `json:"breaker"`
}
