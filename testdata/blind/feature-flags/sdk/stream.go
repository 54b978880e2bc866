package sdk

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"example.com/flagsvc/internal/flags"
)

type sseEvent struct {
	id   string
	typ  string
	data string
}

// streamLoop keeps an SSE connection to the server open, reconnecting with
// exponential backoff, until ctx is cancelled.
func (c *Client) streamLoop(ctx context.Context) {
	defer c.wg.Done()
	backoff := time.Second
	for {
		err := c.streamOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		c.cache.MarkStale()
		if err != nil {
			c.reportError(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

// streamOnce runs one SSE connection until the server or ctx ends it.
func (c *Client) streamOnce(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.opts.BaseURL+"/stream", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+c.opts.SDKKey)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("sdk: stream: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sdk: stream: %s", resp.Status)
	}
	return c.consumeStream(resp.Body)
}

// consumeStream reads server-sent events from r until it ends, applying each
// flag change to the cache.
func (c *Client) consumeStream(r io.Reader) error {
	defer c.opts.OnDisconnect() // HAZ defer-nil-func
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var lines []string
	for sc.Scan() {
		line := sc.Text()
		if line != "" {
			lines = append(lines, line)
			continue
		}
		ev, ok := parseEvent(lines)
		lines = lines[:0]
		if !ok {
			continue
		}
		if err := c.applyEvent(ev); err != nil {
			c.reportError(err)
		}
	}
	return sc.Err()
}

// parseEvent assembles one SSE event from its field lines; comments
// (heartbeats) yield no event.
func parseEvent(lines []string) (sseEvent, bool) {
	var ev sseEvent
	var data []string
	for _, line := range lines {
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "":
			// comment line
		case "id":
			ev.id = value
		case "event":
			ev.typ = value
		case "data":
			data = append(data, value)
		}
	}
	if len(data) == 0 {
		return ev, false
	}
	ev.data = strings.Join(data, "\n")
	if ev.typ == "" {
		ev.typ = "message"
	}
	return ev, true
}

// applyEvent applies one change pushed by the server.
func (c *Client) applyEvent(ev sseEvent) error {
	switch ev.typ {
	case "put":
		var f flags.Flag
		if err := json.Unmarshal([]byte(ev.data), &f); err != nil {
			return fmt.Errorf("sdk: event %s: %w", ev.id, err)
		}
		if c.cache.Upsert(&f) && c.opts.OnUpdate != nil {
			c.safeHook("OnUpdate", func() { c.opts.OnUpdate([]string{f.Key}) })
		}
	case "delete":
		var body struct {
			Key string `json:"key"`
		}
		if err := json.Unmarshal([]byte(ev.data), &body); err != nil {
			return fmt.Errorf("sdk: event %s: %w", ev.id, err)
		}
		if c.cache.Remove(body.Key) && c.opts.OnUpdate != nil {
			c.safeHook("OnUpdate", func() { c.opts.OnUpdate([]string{body.Key}) })
		}
	}
	return nil
}
