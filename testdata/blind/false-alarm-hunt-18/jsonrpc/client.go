package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
)

// A Client calls methods on a remote Server.
type Client struct {
	url    string
	hc     *http.Client
	nextID atomic.Int64
}

// NewClient returns a client for the server at url. If hc is nil,
// http.DefaultClient is used.
func NewClient(url string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{url: url, hc: hc}
}

// Call invokes method with params and decodes the result into result.
func (c *Client) Call(ctx context.Context, method string, params, result any) error {
	raw, err := c.callURL(ctx, c.url, method, params)
	if err != nil {
		return err
	}
	if result == nil {
		return nil
	}
	return json.Unmarshal(raw, result)
}

// callURL performs one call against url and returns the raw result.
func (c *Client) callURL(ctx context.Context, url, method string, params any) (json.RawMessage, error) {
	p, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	id, _ := json.Marshal(c.nextID.Add(1))
	body, err := json.Marshal(Request{Version: "2.0", ID: id, Method: method, Params: p})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("jsonrpc: %s: %s", url, resp.Status)
	}
	var out struct {
		Result json.RawMessage `json:"result"`
		Error  *Error          `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	if out.Error != nil {
		return nil, out.Error
	}
	return out.Result, nil
}

// CallFirst sends the same call to every replica and returns the first
// successful result. The remaining calls are canceled.
func (c *Client) CallFirst(ctx context.Context, urls []string, method string, params any) (json.RawMessage, error) {
	type reply struct {
		raw json.RawMessage
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	replies := make(chan reply, len(urls))
	for _, u := range urls {
		go func() {
			raw, err := c.callURL(ctx, u, method, params)
			replies <- reply{raw, err}
		}()
	}
	var errs []error
	for range urls {
		select {
		case r := <-replies:
			if r.err == nil {
				return r.raw, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, errors.Join(errs...)
}
