package controller

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"example.com/operator/api"
	"example.com/operator/health"
	"example.com/operator/internal/runtimeutil"
)

var versionPattern = regexp.MustCompile(`^\d+\.\d+(\.\d+)?$`)

// syncKey reconciles key without taking its lock; callers hold it.
func (c *Controller) syncKey(ctx context.Context, key string) error {
	cached, ok := c.cache.Get(key)
	if !ok {
		return nil
	}
	obj := cached.DeepCopy()
	c.observeGeneration(key, obj.Meta.Generation)
	if err := c.preflight(ctx, obj); err != nil {
		return err
	}
	return c.sync(ctx, obj)
}

// reconcileBatch reconciles the objects of a batch, e.g. a primary and its
// replicas, one after the other.
func (c *Controller) reconcileBatch(ctx context.Context, keys []string) error {
	var errs []error
	for _, key := range keys {
		unlock := c.locks.Lock(key)
		defer unlock() // HAZ defer-in-loop
		if err := c.syncKey(ctx, key); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", key, err))
		}
	}
	return errors.Join(errs...)
}

// reconcileEach is reconcileBatch with every lock released at the end of
// its own iteration.
func (c *Controller) reconcileEach(ctx context.Context, keys []string) error {
	var errs []error
	for _, key := range keys {
		func() {
			defer c.locks.Lock(key)()
			if err := c.syncKey(ctx, key); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", key, err))
			}
		}()
	}
	return errors.Join(errs...)
}

// checkVersion asks the (simulated) image registry whether version exists.
func (c *Controller) checkVersion(ctx context.Context, version string) error {
	if !versionPattern.MatchString(version) {
		return fmt.Errorf("version %q is not of the form MAJOR.MINOR[.PATCH]", version)
	}
	select {
	case <-time.After(20 * time.Millisecond):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// preflight runs the remote version check in parallel with the quick local
// checks.
func (c *Controller) preflight(ctx context.Context, obj *api.Cluster) error {
	remote := make(chan error)
	go func() {
		remote <- c.checkVersion(ctx, obj.Spec.Version) // HAZ goroutine-blocked-send
	}()
	if obj.Spec.Replicas < 1 {
		return fmt.Errorf("%s: replicas must be positive", obj.Meta.Key())
	}
	if _, _, err := api.SplitKey(obj.Meta.Key()); err != nil {
		return err
	}
	return <-remote
}

// preflightBuffered is preflight with room for the remote result, so the
// checker goroutine can always finish.
func (c *Controller) preflightBuffered(ctx context.Context, obj *api.Cluster) error {
	remote := make(chan error, 1)
	go func() {
		remote <- c.checkVersion(ctx, obj.Spec.Version)
	}()
	if obj.Spec.Replicas < 1 {
		return fmt.Errorf("%s: replicas must be positive", obj.Meta.Key())
	}
	select {
	case err := <-remote:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// observeGeneration records that generation gen of key has been seen.
// Generations never go backwards; a smaller one means a corrupt cache.
func (c *Controller) observeGeneration(key string, gen int64) {
	c.statusMu.Lock() // HAZ lock-leaked-on-return
	st := c.lastStatus[key]
	if gen < st.ObservedGeneration {
		panic(fmt.Sprintf("controller: generation of %s went back from %d to %d", key, st.ObservedGeneration, gen))
	}
	st.ObservedGeneration = gen
	c.lastStatus[key] = st
	c.statusMu.Unlock()
}

// noteReady stores the ready replica count of key and refreshes its gauge
// when the count changed.
func (c *Controller) noteReady(key string, ready int) {
	c.statusMu.Lock() // HAZ lock-leaked-on-return
	st := c.lastStatus[key]
	if st.ReadyReplicas != ready {
		st.ReadyReplicas = ready
		c.lastStatus[key] = st
		c.statusMu.Unlock()
		c.metrics.SetGauge(fmt.Sprintf("cluster_ready_replicas{cluster=%q}", key), float64(ready))
	}
}

// noteReadyChecked is noteReady with the lock released on both branches.
func (c *Controller) noteReadyChecked(key string, ready int) bool {
	c.statusMu.Lock()
	st := c.lastStatus[key]
	if st.ReadyReplicas == ready {
		c.statusMu.Unlock()
		return false
	}
	st.ReadyReplicas = ready
	c.lastStatus[key] = st
	c.statusMu.Unlock()
	c.metrics.SetGauge(fmt.Sprintf("cluster_ready_replicas{cluster=%q}", key), float64(ready))
	return true
}

// probeEndpoints probes the HTTP endpoint of every replica with a
// per-probe timeout and returns how many answered.
func (c *Controller) probeEndpoints(ctx context.Context, urls []string) int {
	ok := 0
	for _, u := range urls {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel() // HAZ defer-in-loop
		if _, err := health.ProbeBody(pctx, c.http, u); err == nil {
			ok++
		}
	}
	return ok
}

// probeEndpointsBounded releases every probe's timer as soon as the probe
// returns.
func (c *Controller) probeEndpointsBounded(ctx context.Context, urls []string) int {
	ok := 0
	for _, u := range urls {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := health.ProbeBody(pctx, c.http, u)
		cancel()
		if err == nil {
			ok++
		}
	}
	return ok
}

// runScriptHook runs an executable hook with the object as JSON on stdin.
func (c *Controller) runScriptHook(ctx context.Context, path string, obj *api.Cluster) error {
	cmd := exec.CommandContext(ctx, path, obj.Meta.Key())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	if err := json.NewEncoder(stdin).Encode(obj); err != nil {
		return fmt.Errorf("hook %s: %w", path, err)
	}
	return stdin.Close()
}

// runScriptHookOutput runs a hook to completion and returns its output.
func (c *Controller) runScriptHookOutput(ctx context.Context, path string, obj *api.Cluster) ([]byte, error) {
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, obj.Meta.Key())
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("hook %s: %w", path, err)
	}
	return out, nil
}

// logRecovered logs a value obtained from recover, if any.
func (c *Controller) logRecovered(key string, r any) {
	if r == nil {
		return
	}
	c.logger.Printf("controller: reconcile of %s panicked: %v", key, r)
	c.metrics.Inc("reconcile_panics_total")
}

// reconcileLogged reconciles key and logs a panic instead of crashing the
// worker.
func (c *Controller) reconcileLogged(ctx context.Context, key string) error {
	defer c.logRecovered(key, recover()) // HAZ recover-ineffective
	return c.reconcile(ctx, key)
}

// sweepDeleted cleans up the storage of objects that disappeared while the
// operator was down. The cleanups run in the background.
func (c *Controller) sweepDeleted() (err error) {
	defer runtimeutil.RecoverToError(&err, "sweep deleted objects")
	orphans := make(map[string]string)
	nsDirs, err := os.ReadDir(c.opts.StorageRoot)
	if err != nil {
		return err
	}
	for _, ns := range nsDirs {
		if !ns.IsDir() || strings.HasPrefix(ns.Name(), ".") {
			continue
		}
		dirs, err := os.ReadDir(filepath.Join(c.opts.StorageRoot, ns.Name()))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for _, d := range dirs {
			key := ns.Name() + "/" + d.Name()
			if _, ok := c.cache.Get(key); !ok {
				orphans[key] = filepath.Join(c.opts.StorageRoot, ns.Name(), d.Name())
			}
		}
	}
	if len(orphans) > 0 {
		go c.cleaner.CleanupAll(orphans) // HAZ goroutine-outside-recover
	}
	return nil
}

// exportStatuses writes one snapshot per known status into dir, in
// parallel.
func (c *Controller) exportStatuses(dir string) error {
	c.statusMu.Lock()
	statuses := maps.Clone(c.lastStatus)
	c.statusMu.Unlock()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		key  string
	)
	for key = range statuses {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			name := strings.ReplaceAll(key, "/", "_") + ".json"
			if err := saveStatusSnapshot(filepath.Join(dir, name), statuses[key]); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if key != "" {
		c.logger.Printf("controller: exported %d statuses (last %s)", len(statuses), key)
	}
	return errors.Join(errs...)
}

// exportStatusesSequential writes the snapshots one by one with a
// per-iteration key.
func (c *Controller) exportStatusesSequential(dir string) error {
	c.statusMu.Lock()
	statuses := maps.Clone(c.lastStatus)
	c.statusMu.Unlock()
	var errs []error
	for key, st := range statuses {
		name := strings.ReplaceAll(key, "/", "_") + ".json"
		if err := saveStatusSnapshot(filepath.Join(dir, name), st); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// finalizeAndNotify runs the finalizer for obj and tells the owning team's
// webhook, if configured, that the storage is gone.
func (c *Controller) finalizeAndNotify(ctx context.Context, obj *api.Cluster, hookURL string) error {
	body, err := json.Marshal(map[string]string{"cluster": obj.Meta.Key(), "event": "finalized"})
	if err != nil {
		return err
	}
	if hookURL != "" {
		defer http.Post(hookURL, "application/json", bytes.NewReader(body)) // HAZ defer-blocking-call
	}
	return c.finalize(ctx, obj)
}

// notifyFinalized posts the finalized notice with a bounded timeout,
// after the finalizer ran.
func (c *Controller) notifyFinalized(ctx context.Context, key, hookURL string) error {
	body, err := json.Marshal(map[string]string{"cluster": key, "event": "finalized"})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hookURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("notify %s: %s", hookURL, resp.Status)
	}
	return nil
}
