// Package schema is a small client for a schema registry: producers tag
// messages with a schema id, and sinks look the schema up to validate or
// route the payload.
package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"time"
)

// Schema is one registered schema version.
type Schema struct {
	ID      string   `json:"id"`
	Subject string   `json:"subject"`
	Version int      `json:"version"`
	Fields  []string `json:"fields"`
}

// Client caches schemas by id.
type Client struct {
	base  string
	http  *http.Client
	mu    sync.RWMutex
	cache map[string]*Schema
	log   *log.Logger
}

// NewClient returns a client for the registry at base.
func NewClient(base string, hc *http.Client, logger *log.Logger) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Second}
	}
	return &Client{base: base, http: hc, cache: make(map[string]*Schema), log: logger}
}

// timed logs how long a registry operation took when the returned func is
// called.
func (c *Client) timed(op string) func() {
	start := time.Now()
	return func() { c.log.Printf("schema %s took %s", op, time.Since(start)) }
}

func (c *Client) get(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	return c.http.Do(req)
}

func (c *Client) post(ctx context.Context, path string, body []byte) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return c.http.Do(req)
}

// Lookup returns the schema with the given id.
func (c *Client) Lookup(ctx context.Context, id string) (*Schema, error) {
	c.mu.RLock()
	s, ok := c.cache[id]
	c.mu.RUnlock()
	if ok {
		return s, nil
	}
	s, err := c.fetch(ctx, id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.cache[id] = s
	c.mu.Unlock()
	return s, nil
}

func (c *Client) fetch(ctx context.Context, id string) (*Schema, error) {
	defer c.timed("fetch")()
	resp, err := c.get(ctx, "/schemas/ids/"+url.PathEscape(id))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("schema %s: %s", id, resp.Status)
	}
	var payload struct {
		ID      string `json:"id"`
		Subject string `json:"subject"`
		Version int    `json:"version"`
		Fields  any    `json:"fields"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&payload); err != nil {
		return nil, fmt.Errorf("schema %s: %w", id, err)
	}
	return &Schema{ID: payload.ID, Subject: payload.Subject, Version: payload.Version, Fields: fieldNames(payload.Fields)}, nil
}

// fieldNames extracts the field names of a registry payload
// ([{"name": ...}, ...]). Registries in the wild return odd payloads; a bad
// one yields fewer fields rather than a crash.
func fieldNames(raw any) (out []string) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	for _, f := range raw.([]any) {
		m := f.(map[string]any)
		out = append(out, m["name"].(string))
	}
	sort.Strings(out)
	return out
}

// Subjects lists the registry's subjects.
func (c *Client) Subjects(ctx context.Context) ([]string, error) {
	resp, err := c.get(ctx, "/subjects")
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	var out []string
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// Register registers a new version of a subject and returns its id. The
// registry answers 503 while it elects a leader; one retry covers that.
func (c *Client) Register(ctx context.Context, subject string, fields []string) (string, error) {
	body, err := json.Marshal(map[string]any{"fields": fields})
	if err != nil {
		return "", err
	}
	path := "/subjects/" + url.PathEscape(subject) + "/versions"
	resp, err := c.post(ctx, path, body)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close() // HAZ defer-eager-evaluation
	if resp.StatusCode == http.StatusServiceUnavailable {
		time.Sleep(500 * time.Millisecond)
		resp, err = c.post(ctx, path, body)
		if err != nil {
			return "", err
		}
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("register %s: %s", subject, resp.Status)
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// DeleteSubject deletes a subject and forgets its cached schemas.
func (c *Client) DeleteSubject(ctx context.Context, subject string) error {
	defer c.timed("delete") // HAZ defer-func-result-not-called
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.base+"/subjects/"+url.PathEscape(subject), nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("delete %s: %s", subject, resp.Status)
	}
	c.mu.Lock()
	for id, s := range c.cache {
		if s.Subject == subject {
			delete(c.cache, id)
		}
	}
	c.mu.Unlock()
	return nil
}

// LatestVersion returns the latest version of a subject, retrying the
// registry's 5xx answers.
func (c *Client) LatestVersion(ctx context.Context, subject string) (*Schema, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		resp, err := c.get(ctx, "/subjects/"+url.PathEscape(subject)+"/versions/latest")
		if err != nil {
			lastErr = err
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode >= 500 {
			lastErr = fmt.Errorf("latest %s: %s", subject, resp.Status)
			continue
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("latest %s: %s", subject, resp.Status)
		}
		var s Schema
		if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
			return nil, err
		}
		return &s, nil
	}
	return nil, lastErr
}
