package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"example.com/confsfu/internal/sfu"
	"example.com/confsfu/internal/stats"
)

// Client talks to the admin API; it is used by sfuctl.
type Client struct {
	base string
	hc   *http.Client
}

// RoomInfo is one entry of GET /rooms.
type RoomInfo struct {
	ID           string                `json:"id"`
	Participants []sfu.ParticipantInfo `json:"participants"`
}

// NewClient creates a client for the admin API at base.
func NewClient(base string, timeout time.Duration) *Client {
	return &Client{base: strings.TrimRight(base, "/"), hc: &http.Client{Timeout: timeout}}
}

// getJSON GETs path and decodes the JSON body into v. Errors are wrapped
// with the request path by the deferred closure, which works because err is
// the named result.
func (c *Client) getJSON(ctx context.Context, path string, v any) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("admin client: GET %s: %w", path, err)
		}
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unexpected status %s", resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// Rooms lists the rooms of the node.
func (c *Client) Rooms(ctx context.Context) ([]RoomInfo, error) {
	var rooms []RoomInfo
	if err := c.getJSON(ctx, "/rooms", &rooms); err != nil {
		return nil, err
	}
	return rooms, nil
}

// Stats returns the per-room totals.
func (c *Client) Stats(ctx context.Context) ([]stats.Totals, error) {
	var totals []stats.Totals
	err := c.getJSON(ctx, "/stats", &totals)
	return totals, err
}

func (c *Client) postForm(ctx context.Context, path string, form url.Values) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.hc.Do(req)
}

// Kick removes a participant from a room.
func (c *Client) Kick(ctx context.Context, room, participant string) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = fmt.Errorf("admin client: kick %s from %s: %w", participant, room, err)
		}
	}()
	resp, err := c.postForm(ctx, "/rooms/kick", url.Values{"room": {room}, "participant": {participant}})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("unexpected status %s", resp.Status)
		return err
	}
	return nil
}

// CloseRoom tears a room down and returns how many participants were told.
func (c *Client) CloseRoom(ctx context.Context, room string) (int, error) {
	resp, err := c.postForm(ctx, "/rooms/close", url.Values{"room": {room}})
	if err != nil {
		return 0, fmt.Errorf("admin client: close %s: %w", room, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return 0, fmt.Errorf("admin client: close %s: %s: %s", room, resp.Status, strings.TrimSpace(string(msg)))
	}
	var out struct {
		Notified int `json:"notified"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return 0, fmt.Errorf("admin client: close %s: %w", room, err)
	}
	return out.Notified, nil
}
