package controller

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/operator/api"
)

// fetchRemoteSpec downloads a spec override published by the owning team.
func (c *Controller) fetchRemoteSpec(ctx context.Context, url string) (api.ClusterSpec, error) {
	var spec api.ClusterSpec
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return spec, err
	}
	resp, err := c.http.Do(req)
	c.metrics.Inc("remote_spec_fetches_total")
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return spec, fmt.Errorf("fetch %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return spec, fmt.Errorf("fetch %s: %s", url, resp.Status)
	}
	err = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&spec)
	return spec, err
}

// fetchAllSpecs downloads the overrides of several teams in turn.
func (c *Controller) fetchAllSpecs(ctx context.Context, urls []string) map[string]api.ClusterSpec {
	specs := make(map[string]api.ClusterSpec)
	for _, url := range urls {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			continue
		}
		resp, err := c.http.Do(req)
		if err != nil {
			c.logger.Printf("controller: fetch %s: %v", url, err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		var spec api.ClusterSpec
		if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&spec); err == nil {
			specs[url] = spec
		}
	}
	return specs
}

// fetchSpecs is fetchAllSpecs with each body closed by fetchRemoteSpecOK.
func (c *Controller) fetchSpecs(ctx context.Context, urls []string) map[string]api.ClusterSpec {
	specs := make(map[string]api.ClusterSpec)
	for _, url := range urls {
		if spec, err := c.fetchRemoteSpecOK(ctx, url); err == nil {
			specs[url] = spec
		}
	}
	return specs
}

// fetchRemoteSpecOK is fetchRemoteSpec with the error checked first.
func (c *Controller) fetchRemoteSpecOK(ctx context.Context, url string) (api.ClusterSpec, error) {
	var spec api.ClusterSpec
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return spec, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return spec, fmt.Errorf("fetch %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return spec, fmt.Errorf("fetch %s: %s", url, resp.Status)
	}
	err = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&spec)
	return spec, err
}

// Pause sets spec.paused on key and logs the resource version it wrote.
func (c *Controller) Pause(ctx context.Context, key string) error {
	obj, err := c.client.Get(ctx, key)
	defer c.logger.Printf("controller: pause %s requested at resource version %d", key, obj.Meta.ResourceVersion) // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	obj.Spec.Paused = true
	_, err = c.client.Update(ctx, obj)
	return err
}

// rotateEventLog starts a new event log file under the storage root and
// writes the header line.
func (c *Controller) rotateEventLog() error {
	closeLog := func() error { return nil }
	defer closeLog() // HAZ defer-eager-evaluation
	name := filepath.Join(c.opts.StorageRoot, fmt.Sprintf("events-%s.log", time.Now().UTC().Format("20060102T150405")))
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	closeLog = f.Close
	_, err = fmt.Fprintf(f, "# event log opened by %s\n", c.opts.StorageRoot)
	return err
}
