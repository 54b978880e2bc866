package sdk

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
)

// Event is one change notification from /events.
type Event struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// Watch streams events until ctx is done or the server ends the stream.
// The error channel carries at most one value.
func (c *Client) Watch(ctx context.Context) (<-chan Event, <-chan error) {
	events := make(chan Event)
	errc := make(chan error, 1)
	go func() {
		defer close(events) // ok: the only sender closes
		req, err := c.newRequest(ctx, http.MethodGet, "/events", nil)
		if err != nil {
			errc <- err
			return
		}
		req.Header.Set("Accept", "text/event-stream")
		resp, err := c.hc.Do(req)
		if err != nil {
			errc <- err
			return
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			errc <- decodeError(resp)
			return
		}
		if err := readSSE(resp.Body, func(ev Event) bool {
			select {
			case events <- ev:
				return true
			case <-ctx.Done():
				return false
			}
		}); err != nil && !errors.Is(err, context.Canceled) {
			errc <- err
		}
	}()
	return events, errc
}

// readSSE parses "event:" / "data:" lines until EOF or emit returns false.
func readSSE(r io.Reader, emit func(Event) bool) error {
	sc := bufio.NewScanner(r)
	var ev Event
	var data strings.Builder
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if data.Len() > 0 {
				ev.Data = json.RawMessage(data.String())
				if !emit(ev) {
					return nil
				}
			}
			ev, data = Event{}, strings.Builder{}
		case strings.HasPrefix(line, "event:"):
			ev.Type = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			data.WriteString(strings.TrimSpace(strings.TrimPrefix(line, "data:")))
		}
	}
	return sc.Err()
}

// UploadFile streams a JSON array of items from path to /import.
func (c *Client) UploadFile(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: read-only, after the check
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base.JoinPath("/import").String(), f)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return decodeError(resp)
	}
	return nil
}

// ExportItems downloads the gzip-compressed export.
func (c *Client) ExportItems(ctx context.Context) ([]Item, error) {
	req, err := c.newRequest(ctx, http.MethodGet, "/export.json.gz", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, decodeError(resp)
	}
	zr, err := gzip.NewReader(resp.Body)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	var items []Item
	if err := json.NewDecoder(zr).Decode(&items); err != nil {
		return nil, err
	}
	return items, nil
}

// PutBlob uploads r under name.
func (c *Client) PutBlob(ctx context.Context, name string, r io.Reader) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.base.JoinPath("/blobs", name).String(), r)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := resp.Body.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if resp.StatusCode/100 != 2 {
		return decodeError(resp)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// GetBlob downloads name into w; the close error reaches the caller.
func (c *Client) GetBlob(ctx context.Context, name string, w io.Writer) (n int64, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base.JoinPath("/blobs", name).String(), nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := resp.Body.Close(); cerr != nil && err == nil {
			err = cerr // ok: err is a named result
		}
	}()
	if resp.StatusCode != http.StatusOK {
		return 0, decodeError(resp)
	}
	return io.Copy(w, resp.Body)
}
