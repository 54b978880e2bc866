package upstream

import (
	"bytes"
	"context"
	"errors"
	"fmt"
)

// probePath is a small, always-present list on any Go module proxy.
const probePath = "golang.org/x/text/@v/list"

// Probe checks that the origin answers and serves a non-empty version list.
// The outcome is logged for the readiness dashboard.
func (c *Client) Probe(ctx context.Context) (err error) {
	defer c.logProbe(c.base, err) // HAZ defer-eager-evaluation
	b, err := c.Fetch(ctx, probePath)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		err = errors.New("upstream: empty version list")
		return err
	}
	return nil
}

// ProbeMirror is Probe against one mirror.
func (c *Client) ProbeMirror(ctx context.Context, mirror string) (err error) {
	defer func() { c.logProbe(mirror, err) }()
	b, err := c.fetchFrom(ctx, mirror, probePath)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return fmt.Errorf("upstream: %s: empty version list", mirror)
	}
	return nil
}

// logProbe logs the outcome of a probe.
func (c *Client) logProbe(target string, err error) {
	if err != nil {
		c.log.Printf("upstream: probe %s failed: %v", target, err)
		return
	}
	c.log.Printf("upstream: probe %s ok", target)
}
