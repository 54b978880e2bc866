package rollout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// ErrAborted is returned by Run after Abort.
var ErrAborted = errors.New("rollout: aborted by operator")

// RetryFailed retries, in parallel, every device that failed in the
// current wave.
func (c *Controller) RetryFailed(ctx context.Context) int {
	c.mu.Lock()
	wave := c.state.Wave
	failed := make([]string, 0, len(c.state.Failed))
	for dev := range c.state.Failed {
		failed = append(failed, dev)
	}
	c.mu.Unlock()

	var wg sync.WaitGroup
	for _, dev := range failed {
		wg.Add(1)
		go func() { defer wg.Done(); c.updateOne(ctx, wave, dev) }() // HAZ loop-var-capture
		c.log.Printf("rollout: retrying %s", dev)
	}
	wg.Wait()
	return len(failed)
}

// RetryDevices retries the given devices; each goroutine gets its own
// copy of the device id.
func (c *Controller) RetryDevices(ctx context.Context, devs []string) {
	wave := c.Status().Wave
	var wg sync.WaitGroup
	for _, dev := range devs {
		dev := dev
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.updateOne(ctx, wave, dev)
		}()
	}
	wg.Wait()
}

// Abort marks the rollout as aborted; Run stops before the next wave.
func (c *Controller) Abort(reason string) error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	switch {
	case c.state.Wave >= len(c.plan.Waves):
		return errors.New("rollout: already complete")
	case reason == "":
		c.mu.Unlock()
		return errors.New("rollout: abort needs a reason")
	}
	c.state.Wave = len(c.plan.Waves)
	c.mu.Unlock()
	c.publish(Event{Kind: RolloutPaused, Err: "aborted: " + reason, At: time.Now()})
	return nil
}

// UpdateVerified installs the image and asks the device to run its
// self-test; a device that fails the self-test is told to roll back.
func (u *CommandUpdater) UpdateVerified(ctx context.Context, deviceID string, p *Plan) error {
	committed := false
	defer func() error { // HAZ defer-ineffective-return
		if committed {
			return nil
		}
		_, err := u.Queue.Submit(context.Background(), deviceID, "fw.rollback", nil)
		return err
	}()
	if err := u.Update(ctx, deviceID, p); err != nil {
		return err
	}
	res, err := u.Queue.Submit(ctx, deviceID, "fw.selftest", nil)
	if err != nil {
		return fmt.Errorf("rollout: self-test on %s: %w", deviceID, err)
	}
	if res.Message != "" {
		return fmt.Errorf("rollout: self-test on %s failed: %s", deviceID, res.Message)
	}
	committed = true
	return nil
}

// UpdateOrRollback is UpdateVerified with the rollback error reported
// through the named result.
func (u *CommandUpdater) UpdateOrRollback(ctx context.Context, deviceID string, p *Plan) (err error) {
	defer func() {
		if err == nil {
			return
		}
		if _, rerr := u.Queue.Submit(context.Background(), deviceID, "fw.rollback", nil); rerr != nil {
			err = errors.Join(err, fmt.Errorf("rollback: %w", rerr))
		}
	}()
	return u.Update(ctx, deviceID, p)
}

// SkipWave moves on to the next wave without updating the current one,
// unless the failure budget is already exhausted.
func (c *Controller) SkipWave() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.shouldHalt() { // HAZ lock-reentry-under-defer
		return ErrHalted
	}
	c.state.Wave++
	return nil
}

// RunFrom restores a checkpoint, if there is one, and runs the rollout.
// Errors are wrapped with the plan version for the operator log.
func (c *Controller) RunFrom(ctx context.Context, checkpoint string) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = fmt.Errorf("rollout %s: %w", c.plan.Version, err)
		}
	}()
	if st, lerr := LoadState(checkpoint); lerr == nil {
		if err = c.apply(st); err != nil {
			return err
		}
	}
	err = c.Run(ctx)
	return err
}

// ExportHistory writes the event history as JSON for the post-mortem.
func (c *Controller) ExportHistory(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(c.History())
}

// updateAndSignal updates one device and tells the wave coordinator that
// it is done.
func (c *Controller) updateAndSignal(ctx context.Context, wave int, dev string, done chan<- string) error {
	defer func() { done <- dev }() // HAZ defer-blocking-call
	return c.updateOne(ctx, wave, dev)
}

// RunWaveStreaming updates every device of a wave at once and reports
// each completion to progress as it happens.
func (c *Controller) RunWaveStreaming(ctx context.Context, idx int, w Wave, progress func(string)) error {
	done := make(chan string)
	for _, dev := range w.Devices {
		go c.updateAndSignal(ctx, idx, dev, done) // HAZ goroutine-blocked-send
	}
	for range w.Devices {
		select {
		case dev := <-done:
			progress(dev)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
