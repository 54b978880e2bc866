package controller

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/blinde/obs"
)

// ---- defer-nil-func: positives ----

// renderManifests renders obj into a scratch directory when one is configured.
func (r *Reconciler) renderManifests(obj *Object) ([]byte, error) {
	var cleanup func()
	workdir := os.TempDir()
	if r.cfg.ScratchDir != "" {
		dir, err := os.MkdirTemp(r.cfg.ScratchDir, "render-")
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", obj.Key(), err)
		}
		workdir = dir
		cleanup = func() {
			if err := os.Remove(dir); err != nil {
				r.logger.Printf("render %s: cleanup %s: %v", obj.Key(), dir, err)
			}
		}
	}
	defer cleanup() // HAZ defer-nil-func

	out := fmt.Sprintf("# rendered in %s\nkind: %s\nname: %s\n", workdir, obj.Kind, obj.Name)
	return []byte(out), nil
}

// finalize runs the kind-specific finalizer of a terminating object.
func (r *Reconciler) finalize(ctx context.Context, obj *Object) error {
	if !obj.Terminating {
		return nil
	}
	finalizer := r.finalizers[obj.Kind]
	defer finalizer(obj) // HAZ defer-nil-func
	r.logger.Printf("finalizing %s %s", obj.Kind, obj.Key())
	sh := r.shardFor(obj.Key())
	sh.mu.Lock()
	delete(sh.objects, obj.Key())
	sh.mu.Unlock()
	return ctx.Err()
}

// Reconcile syncs one object and notifies the optional synced hook.
func (r *Reconciler) Reconcile(ctx context.Context, obj *Object) error {
	key := obj.Key()
	defer r.onSynced(key) // HAZ defer-nil-func
	if obj.Terminating {
		return r.finalize(ctx, obj)
	}
	if err := r.syncOne(ctx, obj); err != nil {
		return fmt.Errorf("reconcile %s: %w", key, err)
	}
	return nil
}

// withShard runs fn with the shard of key locked in the requested mode.
func (r *Reconciler) withShard(key, mode string, fn func(*Shard)) {
	sh := r.shardFor(key)
	var unlock func()
	switch mode {
	case "read":
		sh.mu.RLock()
		unlock = sh.mu.RUnlock
	case "write":
		sh.mu.Lock()
		unlock = sh.mu.Unlock
	}
	defer unlock() // HAZ defer-nil-func
	fn(sh)
}

// startProfile returns a func that logs the phase duration, or nil when profiling is off.
func (r *Reconciler) startProfile(name string) func() {
	if r.cfg.ProfileDir == "" {
		return nil
	}
	start := time.Now()
	return func() {
		r.logger.Printf("profile %s: %s (dir %s)", name, time.Since(start), r.cfg.ProfileDir)
	}
}

// ResyncAll re-syncs every cached object.
func (r *Reconciler) ResyncAll(ctx context.Context) error {
	stop := r.startProfile("resync")
	defer stop() // HAZ defer-nil-func
	var errs []error
	for _, sh := range r.shards {
		sh.mu.RLock()
		objs := make([]*Object, 0, len(sh.objects))
		for _, o := range sh.objects {
			objs = append(objs, o)
		}
		sh.mu.RUnlock()
		for _, o := range objs {
			if err := r.syncOne(ctx, o); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// completeInflight releases the in-flight marker stored for key.
func (r *Reconciler) completeInflight(key string) int64 {
	v, _ := r.inflight.Load(key)
	release, _ := v.(func())
	defer release() // HAZ defer-nil-func
	r.inflight.Delete(key)
	r.mu.Lock()
	gen := r.synced[key]
	r.mu.Unlock()
	return gen
}

type step struct {
	name string
	run  func(*Object) error
	undo func()
}

// applySteps runs the steps and undoes the last reversible one on the way out.
func (r *Reconciler) applySteps(obj *Object, steps []step) error {
	var undo func()
	for _, st := range steps {
		if err := st.run(obj); err != nil {
			return fmt.Errorf("step %s: %w", st.name, err)
		}
		if st.undo != nil {
			undo = st.undo
		}
	}
	defer undo() // HAZ defer-nil-func
	r.logger.Printf("applied %d steps to %s", len(steps), obj.Key())
	return r.syncOne(context.Background(), obj)
}

// ---- defer-nil-func: negatives ----

// renderManifestsSafe starts with a no-op cleanup.
func (r *Reconciler) renderManifestsSafe(obj *Object) ([]byte, error) {
	cleanup := func() {}
	workdir := os.TempDir()
	if r.cfg.ScratchDir != "" {
		dir, err := os.MkdirTemp(r.cfg.ScratchDir, "render-")
		if err != nil {
			return nil, err
		}
		workdir = dir
		cleanup = func() { _ = os.Remove(dir) }
	}
	defer cleanup() // ok: never nil, not reassigned after the defer
	return []byte(filepath.Join(workdir, obj.Name)), nil
}

// finalizeChecked only defers a finalizer that exists.
func (r *Reconciler) finalizeChecked(ctx context.Context, obj *Object) error {
	if finalizer, ok := r.finalizers[obj.Kind]; ok {
		defer finalizer(obj) // ok: presence checked
	} else {
		r.logger.Printf("no finalizer for kind %s", obj.Kind)
	}
	sh := r.shardFor(obj.Key())
	sh.mu.Lock()
	delete(sh.objects, obj.Key())
	sh.mu.Unlock()
	return ctx.Err()
}

// ReconcileNotify emits a Synced event through the sink wired by NewReconciler.
func (r *Reconciler) ReconcileNotify(ctx context.Context, obj *Object) error {
	defer r.emit(Event{Type: Synced, Key: obj.Key()}) // ok: emit is always set in NewReconciler
	if err := r.syncOne(ctx, obj); err != nil {
		return fmt.Errorf("reconcile %s: %w", obj.Key(), err)
	}
	r.logger.Printf("reconciled %s gen %d", obj.Key(), obj.Generation)
	return nil
}

// withShardMode defaults to the exclusive lock.
func (r *Reconciler) withShardMode(key, mode string, fn func(*Shard)) {
	sh := r.shardFor(key)
	var unlock func()
	switch mode {
	case "read":
		sh.mu.RLock()
		unlock = sh.mu.RUnlock
	default:
		sh.mu.Lock()
		unlock = sh.mu.Unlock
	}
	defer unlock() // ok: every branch assigns
	fn(sh)
}

// ResyncProfiled only defers the profiler stop when profiling is on.
func (r *Reconciler) ResyncProfiled(ctx context.Context) error {
	if stop := r.startProfile("resync"); stop != nil {
		defer stop() // ok: nil-checked
	}
	for _, sh := range r.shards {
		sh.mu.RLock()
		n := len(sh.objects)
		sh.mu.RUnlock()
		r.logger.Printf("shard %d: %d objects", sh.id, n)
	}
	return ctx.Err()
}

// ReconcileWithTimeout bounds the reconcile by the configured timeout.
func (r *Reconciler) ReconcileWithTimeout(ctx context.Context, obj *Object) error {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel() // ok: context cancel funcs are never nil
	return r.syncOne(ctx, obj)
}

// finalizeOrNoop falls back to a no-op when the kind has no finalizer.
func (r *Reconciler) finalizeOrNoop(obj *Object) {
	fin, ok := r.finalizers[strings.ToLower(obj.Kind)]
	if !ok {
		fin = func(*Object) {}
	}
	defer fin(obj) // ok: fallback assigned
	r.logger.Printf("finalizing %s", obj.Key())
}

// ---- defer-call-chain ----

// ReconcileLeader reconciles while holding the leader lease, renewing it as needed.
func (r *Reconciler) ReconcileLeader(ctx context.Context, objs []*Object) error {
	defer r.leases.Current().Release() // HAZ defer-call-chain
	for i, obj := range objs {
		if i%50 == 0 {
			r.leases.RenewIfNeeded()
		}
		if err := r.syncOne(ctx, obj); err != nil {
			return err
		}
	}
	return nil
}

// ReconcilePhased records the reconcile duration under the phase it ends in.
func (r *Reconciler) ReconcilePhased(ctx context.Context, obj *Object) error {
	start := time.Now()
	defer r.metrics.Histogram("reconcile_" + r.currentPhase()).ObserveSince(start) // HAZ defer-call-chain
	r.setPhase("validate")
	if obj.Name == "" {
		return errors.New("object without name")
	}
	r.setPhase("sync")
	if err := r.syncOne(ctx, obj); err != nil {
		r.setPhase("failed")
		return err
	}
	r.setPhase("done")
	return nil
}

// ReconcileLeaderSafe resolves the lease at exit time.
func (r *Reconciler) ReconcileLeaderSafe(ctx context.Context, objs []*Object) error {
	defer func() { r.leases.Current().Release() }() // ok: whole chain runs at exit
	for i, obj := range objs {
		if i%50 == 0 {
			r.leases.RenewIfNeeded()
		}
		if err := r.syncOne(ctx, obj); err != nil {
			return err
		}
	}
	return nil
}

// ReconcileTraced uses the trace idiom.
func (r *Reconciler) ReconcileTraced(ctx context.Context, obj *Object) error {
	defer obs.Trace("reconcile " + obj.Key())() // ok: f()() idiom
	return r.syncOne(ctx, obj)
}

// updateShard holds the shard lock; the index expression is not a call chain.
func (r *Reconciler) updateShard(idx int, obj *Object) {
	r.shards[idx].mu.Lock()
	defer r.shards[idx].mu.Unlock() // ok: field path, no call before Unlock
	r.shards[idx].objects[obj.Key()] = obj
	r.logger.Printf("shard %d updated %s", idx, obj.Key())
}
