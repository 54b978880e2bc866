package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// adminHTTP is used for the server's admin API.
var adminHTTP = &http.Client{Timeout: 10 * time.Second}

// adminCalls counts admin API round trips; exported through expvar by
// long-running tools.
var adminCalls atomic.Int64

// SessionInfo mirrors one entry of GET /sessions.
type SessionInfo struct {
	ID      string        `json:"id"`
	User    string        `json:"user"`
	Remote  string        `json:"remote"`
	Started time.Time     `json:"started"`
	Idle    time.Duration `json:"idle"`
}

// AdminSessions lists the sessions of a server through its admin API.
func AdminSessions(ctx context.Context, baseURL, token string) ([]SessionInfo, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/sessions", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, _ := adminHTTP.Do(req)
	adminCalls.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("admin: GET /sessions: %s", resp.Status)
	}
	var body struct {
		Sessions []SessionInfo `json:"sessions"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, err
	}
	return body.Sessions, nil
}

// AdminKick disconnects every session of user.
func AdminKick(ctx context.Context, baseURL, token, user, reason string) (int, error) {
	u := baseURL + "/kick/" + url.PathEscape(user) + "?reason=" + url.QueryEscape(reason)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := adminHTTP.Do(req)
	adminCalls.Add(1)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return 0, fmt.Errorf("admin: kick %s: %s: %s", user, resp.Status, msg)
	}
	var body struct {
		Kicked int `json:"kicked"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, err
	}
	return body.Kicked, nil
}
