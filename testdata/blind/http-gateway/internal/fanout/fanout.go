// Package fanout sends one client request to several backends in parallel and
// merges their JSON answers under a deadline.
package fanout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"sort"
	"time"
)

// Target is one backend taking part in a fan-out.
type Target struct {
	Name string
	URL  string
}

// Merger fans requests out to its targets.
type Merger struct {
	client  *http.Client
	targets []Target
	timeout time.Duration
	maxBody int64
	logger  *log.Logger
}

type result struct {
	name string
	body json.RawMessage
	err  error
}

// New returns a Merger. Every fan-out is bounded by timeout.
func New(client *http.Client, targets []Target, timeout time.Duration, logger *log.Logger) *Merger {
	return &Merger{client: client, targets: targets, timeout: timeout, maxBody: 4 << 20, logger: logger}
}

// fetch GETs t with the client's query string and returns its JSON body.
func (m *Merger) fetch(ctx context.Context, t Target, query string) result {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL+"?"+query, nil)
	if err != nil {
		return result{name: t.Name, err: err}
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return result{name: t.Name, err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return result{name: t.Name, err: fmt.Errorf("%s: %s", t.Name, resp.Status)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, m.maxBody))
	if err != nil {
		return result{name: t.Name, err: err}
	}
	if !json.Valid(body) {
		return result{name: t.Name, err: errors.New(t.Name + ": invalid JSON")}
	}
	return result{name: t.Name, body: body}
}

// ServeHTTP queries every target and answers with whatever arrived before the
// deadline; missing targets are listed in "failed".
func (m *Merger) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), m.timeout)
	defer cancel()

	results := make(chan result, len(m.targets))
	for _, t := range m.targets {
		go func() { results <- m.fetch(ctx, t, r.URL.RawQuery) }()
	}

	merged := make(map[string]json.RawMessage, len(m.targets))
	var failed []string
	for range m.targets {
		select {
		case res := <-results:
			if res.err != nil {
				failed = append(failed, res.name)
				continue
			}
			merged[res.name] = res.body
		case <-ctx.Done():
			writeMerged(w, merged, append(failed, "deadline"), true)
			return
		}
	}
	writeMerged(w, merged, failed, false)
}

func writeMerged(w http.ResponseWriter, merged map[string]json.RawMessage, failed []string, partial bool) {
	w.Header().Set("Content-Type", "application/json")
	if partial {
		w.Header().Set("X-Partial-Response", "1")
	}
	sort.Strings(failed)
	_ = json.NewEncoder(w).Encode(struct {
		Results map[string]json.RawMessage `json:"results"`
		Failed  []string                   `json:"failed,omitempty"`
	}{merged, failed})
}

// ServePrimary answers from the first target only, within the deadline.
func (m *Merger) ServePrimary(w http.ResponseWriter, r *http.Request) {
	if len(m.targets) == 0 {
		http.Error(w, "no fan-out targets configured", http.StatusServiceUnavailable)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), m.timeout)
	defer cancel()

	ch := make(chan result)
	go func() { ch <- m.fetch(ctx, m.targets[0], r.URL.RawQuery) }() // HAZ goroutine-blocked-send
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(res.body)
	case <-ctx.Done():
		http.Error(w, "primary timed out", http.StatusGatewayTimeout)
	}
}

// ServeFirst answers with the first successful target, within the deadline.
// The channel has room for every sender, so losers never block.
func (m *Merger) ServeFirst(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), m.timeout)
	defer cancel()

	ch := make(chan result, len(m.targets))
	for _, t := range m.targets {
		go func() { ch <- m.fetch(ctx, t, r.URL.RawQuery) }()
	}
	for range m.targets {
		select {
		case res := <-ch:
			if res.err != nil {
				continue
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Answered-By", res.name)
			_, _ = w.Write(res.body)
			return
		case <-ctx.Done():
			http.Error(w, "no target answered in time", http.StatusGatewayTimeout)
			return
		}
	}
	http.Error(w, "every target failed", http.StatusBadGateway)
}
