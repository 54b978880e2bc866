package controller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"example.com/operator/api"
)

// reconcile drives one object towards its desired state. The per-object
// lock serialises reconciles of the same key across workers.
func (c *Controller) reconcile(ctx context.Context, key string) error {
	defer c.locks.Lock(key)()
	cached, ok := c.cache.Get(key)
	if !ok {
		c.logger.Printf("controller: %s no longer exists", key)
		return nil
	}
	obj := cached.DeepCopy()
	if obj.Meta.DeletionTimestamp != nil {
		return c.finalize(ctx, obj)
	}
	if obj.Meta.AddFinalizer(FinalizerName) {
		// The update produces a watch event that re-queues the object.
		_, err := c.client.Update(ctx, obj)
		return err
	}
	if obj.Spec.Paused {
		c.setCondition(key, api.Condition{Type: "Reconciling", Status: "False", Reason: "Paused"})
		return nil
	}
	return c.sync(ctx, obj)
}

// sync materialises the cluster's configuration on disk and reports
// progress in the status.
func (c *Controller) sync(ctx context.Context, obj *api.Cluster) (err error) {
	key := obj.Meta.Key()
	defer c.recordResult(key, "sync", err) // HAZ defer-eager-evaluation
	dir, err := c.provision(obj)
	if err != nil {
		return fmt.Errorf("provision %s: %w", key, err)
	}
	if err = writeConfig(dir, obj); err != nil {
		return fmt.Errorf("write config of %s: %w", key, err)
	}
	status := obj.Status
	status.ObservedGeneration = obj.Meta.Generation
	status.ReadyReplicas = countReady(dir, obj.Spec.Replicas)
	status.Phase = api.PhaseRunning
	if status.ReadyReplicas < obj.Spec.Replicas {
		status.Phase = api.PhaseProvisioning
	}
	return c.updateStatus(ctx, obj, status)
}

// provision makes sure the storage directory and its layout exist. On a
// first provisioning the directories created so far are removed again if a
// later step fails.
func (c *Controller) provision(obj *api.Cluster) (dir string, err error) {
	dir = c.storageDir(obj)
	var created []string
	var rollback func()
	if _, statErr := os.Stat(dir); errors.Is(statErr, fs.ErrNotExist) {
		rollback = func() {
			if err == nil {
				return
			}
			for i := len(created) - 1; i >= 0; i-- {
				_ = os.Remove(created[i])
			}
		}
	}
	defer rollback() // HAZ defer-nil-func
	for _, p := range []string{dir, filepath.Join(dir, "data"), filepath.Join(dir, "config")} {
		err = os.MkdirAll(p, 0o750)
		if err != nil {
			return "", err
		}
		created = append(created, p)
	}
	return dir, nil
}

// migrateStorage moves obj's data from its previous directory to the one
// the spec asks for. With ExclusiveStorage the destination is locked so that
// two objects cannot migrate into it at once.
func (c *Controller) migrateStorage(obj *api.Cluster, from string) error {
	to := c.storageDir(obj)
	if from == to {
		return nil
	}
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if c.opts.ExclusiveStorage {
		release = c.locks.Lock("storage:" + to)
	}
	if _, err := os.Stat(to); err == nil {
		return fmt.Errorf("migrate %s: destination %s already exists", obj.Meta.Key(), to)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o750); err != nil {
		return err
	}
	return os.Rename(from, to)
}

// copyStorage is the copying variant of migrateStorage used across
// filesystems; the destination lock is taken before the release is
// deferred.
func (c *Controller) copyStorage(obj *api.Cluster, from string) error {
	to := c.storageDir(obj)
	if from == to {
		return nil
	}
	if c.opts.ExclusiveStorage {
		release := c.locks.Lock("storage:" + to)
		defer release()
	}
	staged, cleanup, err := c.cleaner.Stage(from)
	if err != nil {
		return err
	}
	if err := os.Rename(staged, to); err != nil {
		if cerr := cleanup(); cerr != nil {
			c.logger.Printf("controller: removing staged copy %s: %v", staged, cerr)
		}
		return err
	}
	return nil
}

// writeConfig writes the rendered configuration atomically.
func writeConfig(dir string, obj *api.Cluster) (err error) {
	path := filepath.Join(dir, "config", "cluster.json")
	tmp, err := os.CreateTemp(filepath.Dir(path), ".cluster-*.json")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	enc := json.NewEncoder(tmp)
	enc.SetIndent("", "  ")
	if err = enc.Encode(configFor(obj)); err != nil {
		_ = tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func configFor(obj *api.Cluster) map[string]any {
	return map[string]any{
		"name":       obj.Meta.Name,
		"namespace":  obj.Meta.Namespace,
		"replicas":   obj.Spec.Replicas,
		"version":    obj.Spec.Version,
		"generation": obj.Meta.Generation,
	}
}

// writeReadyMarker records that a replica is ready for generation gen.
func writeReadyMarker(path string, gen int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, "generation=%d\nat=%s\n", gen, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return f.Close()
}

// probeReplica reports whether replica i has written its ready marker.
func probeReplica(dir string, i int) error {
	path := filepath.Join(dir, "data", fmt.Sprintf("replica-%d.ready", i))
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("replica %d not ready: %w", i, err)
	}
	return nil
}

func countReady(dir string, replicas int) int {
	n := 0
	for i := range replicas {
		if probeReplica(dir, i) == nil {
			n++
		}
	}
	return n
}

// finalize runs the cleanup finalizer of an object marked for deletion.
func (c *Controller) finalize(ctx context.Context, obj *api.Cluster) error {
	key := obj.Meta.Key()
	defer c.trace("finalize", key)()
	if !obj.Meta.HasFinalizer(FinalizerName) {
		return nil
	}
	c.transition(key, api.PhaseTerminating)
	if err := c.cleaner.Cleanup(key, c.storageDir(obj)); err != nil {
		c.setCondition(key, api.Condition{Type: "Finalized", Status: "False", Reason: "CleanupFailed", Message: err.Error()})
		return fmt.Errorf("cleanup %s: %w", key, err)
	}
	return c.releaseFinalizer(ctx, obj)
}

// releaseFinalizer removes our finalizer so that the API server can delete
// the object, retrying once with a fresh copy on a conflict.
func (c *Controller) releaseFinalizer(ctx context.Context, obj *api.Cluster) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if errors.Is(err, api.ErrConflict) {
			err = c.retryRemoveFinalizer(ctx, obj.Meta.Key())
		}
	}()
	obj.Meta.RemoveFinalizer(FinalizerName)
	_, err = c.client.Update(ctx, obj)
	return err
}

// retryRemoveFinalizer re-reads key and removes the finalizer from the
// fresh copy.
func (c *Controller) retryRemoveFinalizer(ctx context.Context, key string) error {
	fresh, err := c.client.Get(ctx, key)
	if errors.Is(err, api.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fresh.Meta.RemoveFinalizer(FinalizerName) {
		return nil
	}
	_, err = c.client.Update(ctx, fresh)
	return err
}

// gcOrphans removes storage directories whose object is no longer cached.
func (c *Controller) gcOrphans() (removed int, err error) {
	start := time.Now()
	defer c.metrics.Observe("storage_gc_duration_seconds", time.Now().Sub(start).Seconds()) // HAZ defer-eager-evaluation
	namespaces, err := os.ReadDir(c.opts.StorageRoot)
	if err != nil {
		return 0, err
	}
	for _, ns := range namespaces {
		if !ns.IsDir() || ns.Name()[0] == '.' {
			continue
		}
		names, err := os.ReadDir(filepath.Join(c.opts.StorageRoot, ns.Name()))
		if err != nil {
			return removed, err
		}
		for _, n := range names {
			key := ns.Name() + "/" + n.Name()
			if _, ok := c.cache.Get(key); ok || !n.IsDir() {
				continue
			}
			if err := c.cleaner.Cleanup(key, filepath.Join(c.opts.StorageRoot, ns.Name(), n.Name())); err != nil {
				return removed, err
			}
			removed++
		}
	}
	return removed, nil
}
