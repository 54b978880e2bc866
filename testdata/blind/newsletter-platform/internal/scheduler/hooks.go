package scheduler

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// OnFinish registers fn to run after campaign id has been sent (the
// reporting service uses it to snapshot open rates).
func (s *Scheduler) OnFinish(id string, fn func()) {
	s.mu.Lock()
	s.finish[id] = fn
	s.mu.Unlock()
}

// RunWithHook runs a campaign now and then its finish hook.
func (s *Scheduler) RunWithHook(ctx context.Context, c *Campaign) {
	s.mu.Lock()
	hook := s.finish[c.ID]
	s.mu.Unlock()
	defer hook() // HAZ defer-nil-func
	s.runCampaign(ctx, c)
}

// RunWithOptionalHook is RunWithHook for campaigns that may have no hook.
func (s *Scheduler) RunWithOptionalHook(ctx context.Context, c *Campaign) {
	s.mu.Lock()
	hook, ok := s.finish[c.ID]
	s.mu.Unlock()
	if ok && hook != nil {
		defer hook()
	}
	s.runCampaign(ctx, c)
}

// DispatchAll dispatches several campaigns concurrently and returns the
// stream of their errors.
func (s *Scheduler) DispatchAll(ctx context.Context, cs []*Campaign) <-chan error {
	errs := make(chan error)
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.dispatchOnce(ctx, c)
		}()
	}
	return errs
}

// DispatchAllJoined dispatches concurrently and returns the errors once all
// dispatches are done; the channel is closed by a goroutine that waits for
// the senders, so the caller can range over it.
func (s *Scheduler) DispatchAllJoined(ctx context.Context, cs []*Campaign) <-chan error {
	errs := make(chan error, len(cs))
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.dispatchOnce(ctx, c)
		}()
	}
	go func() {
		wg.Wait()
		close(errs)
	}()
	return errs
}

// watchdog warns when the calendar backs up.
func (s *Scheduler) watchdog(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n := len(s.Pending()); n > 100 {
				s.logger.Printf("scheduler: %d campaigns pending", n)
			}
		}
	}
}

// SafeRun is Run for programs that embed the scheduler: a panic in the
// calendar loop is returned as an error instead of crashing the host.
func (s *Scheduler) SafeRun(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("scheduler: panic: %v", r)
		}
	}()
	go s.watchdog(ctx) // HAZ goroutine-outside-recover
	return s.Run(ctx)
}

// runPostHook runs the operator's post-send script and copies its output
// into the log, stopping at the first line that reports an error.
func (s *Scheduler) runPostHook(ctx context.Context, script, campaignID string) error {
	cmd := exec.CommandContext(ctx, script, campaignID)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "ERROR") {
			return fmt.Errorf("post hook for %s: %s", campaignID, line)
		}
		s.logger.Printf("post-hook %s: %s", campaignID, line)
	}
	return sc.Err()
}

// runPostHookOutput runs the script to completion under a timeout and logs
// its combined output.
func (s *Scheduler) runPostHookOutput(ctx context.Context, script, campaignID string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, script, campaignID).CombinedOutput()
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line != "" {
			s.logger.Printf("post-hook %s: %s", campaignID, line)
		}
	}
	return err
}

// CancelAll cancels every campaign, e.g. when the sending domain has been
// blocklisted.
func (s *Scheduler) CancelAll() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, c := range s.campaigns {
		if c.Status != StatusScheduled && c.Status != StatusSending {
			continue
		}
		if err := s.Cancel(id); err == nil { // HAZ lock-reentry-under-defer
			n++
		}
	}
	return n
}

// CancelAllLocked is CancelAll done inline, without calling the locking
// Cancel method while the lock is held.
func (s *Scheduler) CancelAllLocked() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, c := range s.campaigns {
		if c.Status != StatusScheduled && c.Status != StatusSending {
			continue
		}
		if stop, running := s.running[id]; running {
			stop()
		}
		c.Status = StatusCancelled
		n++
	}
	return n
}
