package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Profile is the upstream profile of a user.
type Profile struct {
	UserID string `json:"user_id"`
	Bio    string `json:"bio"`
}

// ---- defer-before-error-check: positives ----

// fetchProfile loads a user profile from the upstream service.
func (a *API) fetchProfile(ctx context.Context, id string) (*Profile, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.upstream+"/profiles/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	a.inflight.Add(1)
	resp, err := a.client.Do(req)
	a.inflight.Add(-1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("fetch profile %s: %w", id, err)
	}
	if resp.StatusCode == http.StatusNotFound {
		return nil, ErrNotFound
	}
	var p Profile
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		return nil, err
	}
	return &p, nil
}

// upstreamHealthy reports whether the profile service answers its health check.
func (a *API) upstreamHealthy() bool {
	resp, _ := http.Get(a.upstream + "/healthz")
	a.logger.Printf("health check against %s", a.upstream)
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode == http.StatusOK
}

// fetchAvatar copies the avatar bytes of a user into w.
func (a *API) fetchAvatar(ctx context.Context, id string, w io.Writer) (int64, error) {
	resp, err := a.client.Get(a.upstream + "/avatars/" + url.PathEscape(id))
	defer func() { // HAZ defer-before-error-check
		if resp.Body != nil {
			resp.Body.Close()
		}
	}()
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("avatar %s: status %d", id, resp.StatusCode)
	}
	return io.Copy(w, resp.Body)
}

// ---- defer-before-error-check: negatives ----

// fetchProfileChecked checks the error before touching the response.
func (a *API) fetchProfileChecked(ctx context.Context, id string) (*Profile, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.upstream+"/profiles/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, err
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch profile %s: %w", id, err)
	}
	defer resp.Body.Close() // ok
	if resp.StatusCode == http.StatusNotFound {
		return nil, ErrNotFound
	}
	var p Profile
	return &p, json.NewDecoder(resp.Body).Decode(&p)
}

// fetchProfileClassified classifies the error in a switch before the defer.
func (a *API) fetchProfileClassified(ctx context.Context, id string) (*Profile, error) {
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.upstream+"/profiles/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, err
	}
	resp, err := a.client.Do(req)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return nil, ErrUpstreamTimeout
	case err != nil:
		return nil, err
	}
	defer resp.Body.Close() // ok: every error case returned above
	var p Profile
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		return nil, fmt.Errorf("decode profile: %w", err)
	}
	return &p, nil
}

// upstreamHealthyChecked uses the error of the health check.
func (a *API) upstreamHealthyChecked(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.upstream+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	defer resp.Body.Close() // ok
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health check: status %d", resp.StatusCode)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}
