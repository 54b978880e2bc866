// Package fetch talks to a vcs-serve remote over HTTP and downloads the
// objects a local repository is missing, many at a time.
package fetch

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"example.com/vcscli/internal/object"
)

// StatusError is a non-200 answer from the remote.
type StatusError struct {
	Code int
	Msg  string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("remote answered %d %s: %s", e.Code, http.StatusText(e.Code), e.Msg)
}

// Client is a remote repository.
type Client struct {
	base  *url.URL
	hc    *http.Client
	token string
}

// LocalRefs is what negotiation needs from the local repository.
type LocalRefs interface {
	Haves() (map[object.ID]bool, error)
}

// NewClient returns a client for the repository at rawURL.
func NewClient(rawURL, token string, timeout time.Duration) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("fetch: unsupported scheme %q", u.Scheme)
	}
	return &Client{base: u, hc: &http.Client{Timeout: timeout}, token: token}, nil
}

func (c *Client) endpoint(parts ...string) string {
	u := *c.base
	u.Path = path.Join(append([]string{u.Path}, parts...)...)
	return u.String()
}

// do sends req with the client's credentials.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", "vcs/1.0")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return c.hc.Do(req)
}

// get performs a GET and turns non-200 answers into a *StatusError.
func (c *Client) get(ctx context.Context, parts ...string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint(parts...), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, &StatusError{Code: resp.StatusCode, Msg: strings.TrimSpace(string(msg))}
	}
	return resp, nil
}

// ListRefs returns the remote's refs.
func (c *Client) ListRefs(ctx context.Context) (map[string]object.ID, error) {
	resp, err := c.get(ctx, "info", "refs")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	refs := make(map[string]object.ID)
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		hex, name, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			return nil, fmt.Errorf("fetch: malformed ref line %q", sc.Text())
		}
		id, err := object.ParseID(hex)
		if err != nil {
			return nil, err
		}
		refs[name] = id
	}
	return refs, sc.Err()
}

// GetObject downloads one object and checks it hashes to id.
func (c *Client) GetObject(ctx context.Context, id object.ID) (object.Kind, []byte, error) {
	resp, err := c.get(ctx, "objects", id.String())
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	kind, err := object.ParseKind(resp.Header.Get("X-Object-Kind"))
	if err != nil {
		return 0, nil, err
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<30))
	if err != nil {
		return 0, nil, err
	}
	if object.Hash(kind, data) != id {
		return 0, nil, fmt.Errorf("fetch: %s: %w", id.Short(), object.ErrCorrupt)
	}
	return kind, data, nil
}

// HasObject asks whether the remote has id.
func (c *Client) HasObject(ctx context.Context, id object.ID) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.endpoint("objects", id.String()), nil)
	if err != nil {
		return false, err
	}
	resp, err := c.do(req)
	if err != nil {
		return false, err
	}
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	}
	return false, &StatusError{Code: resp.StatusCode}
}

// Ping checks that the remote is reachable and healthy.
func (c *Client) Ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint("health"), nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("fetch: %s unreachable: %w", c.base.Host, err)
	}
	if resp.StatusCode != http.StatusOK {
		return &StatusError{Code: resp.StatusCode, Msg: "health check failed"}
	}
	return nil
}

// ServerVersion returns the remote's version string for `vcs remote show`.
func (c *Client) ServerVersion() string {
	resp, _ := c.hc.Get(c.endpoint("version"))
	version := "unknown"
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode == http.StatusOK {
		b, err := io.ReadAll(io.LimitReader(resp.Body, 64))
		if err == nil {
			version = strings.TrimSpace(string(b))
		}
	}
	return version
}

// Negotiate lists the remote refs while the local haves are computed, and
// returns the remote tips the local repository lacks.
func (c *Client) Negotiate(ctx context.Context, local LocalRefs) ([]object.ID, error) {
	type listing struct {
		refs map[string]object.ID
		err  error
	}
	remoteCh := make(chan listing)
	go func() {
		refs, err := c.ListRefs(ctx)
		remoteCh <- listing{refs, err} // HAZ goroutine-blocked-send
	}()
	haves, err := local.Haves()
	if err != nil {
		return nil, fmt.Errorf("fetch: local refs: %w", err)
	}
	remote := <-remoteCh
	if remote.err != nil {
		return nil, remote.err
	}
	var wants []object.ID
	for _, id := range remote.refs {
		if !haves[id] {
			wants = append(wants, id)
		}
	}
	return wants, nil
}

// NegotiateBuffered is Negotiate for callers that may abandon the listing:
// the one-slot buffer lets the lister finish even if nobody receives.
func (c *Client) NegotiateBuffered(ctx context.Context, local LocalRefs) ([]object.ID, error) {
	type listing struct {
		refs map[string]object.ID
		err  error
	}
	remoteCh := make(chan listing, 1)
	go func() {
		refs, err := c.ListRefs(ctx)
		remoteCh <- listing{refs, err}
	}()
	haves, err := local.Haves()
	if err != nil {
		return nil, fmt.Errorf("fetch: local refs: %w", err)
	}
	var remote listing
	select {
	case remote = <-remoteCh:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if remote.err != nil {
		return nil, remote.err
	}
	var wants []object.ID
	for _, id := range remote.refs {
		if !haves[id] {
			wants = append(wants, id)
		}
	}
	return wants, nil
}
