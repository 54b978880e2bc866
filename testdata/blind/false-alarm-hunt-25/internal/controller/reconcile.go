package controller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"example.com/fah25/api"
	"example.com/fah25/internal/cache"
	"example.com/fah25/internal/keylock"
	"example.com/fah25/internal/metrics"
	"example.com/fah25/internal/record"
	"example.com/fah25/internal/status"
)

// FinalizerName guards the cleanup of rendered replicas.
const FinalizerName = "widgets.example.com/rendered-files"

// replicaManifest is what is rendered for each replica.
type replicaManifest struct {
	Widget     string
	Index      int
	Image      string
	Generation int64
}

// WidgetReconciler renders one manifest file per replica and reports status.
type WidgetReconciler struct {
	Store        *cache.ThreadSafeStore
	Status       *status.Writer
	Recorder     *record.Recorder
	Metrics      *metrics.Registry
	Locks        *keylock.KeyMutex
	OutputDir    string
	ApplyTimeout time.Duration
	Now          func() time.Time
}

// Reconcile implements Reconciler.
func (r *WidgetReconciler) Reconcile(ctx context.Context, key string) (Result, error) {
	defer r.Locks.Lock(key)()
	defer r.Metrics.Track("reconcile")()

	ns, name, err := api.SplitKey(key)
	if err != nil {
		return Result{}, err
	}
	obj, ok := r.Store.Get(key)
	if !ok {
		return Result{}, r.Status.Remove(ns, name)
	}
	w, ok := obj.DeepCopyObject().(*api.Widget)
	if !ok {
		return Result{}, fmt.Errorf("reconcile %s: unexpected type %T", key, obj)
	}
	if w.IsDeleting() {
		return Result{}, r.finalize(w)
	}
	if w.Spec.Paused {
		cond := api.Condition{Type: "Progressing", Status: "False", Reason: "Paused"}
		return Result{}, r.updateStatus(w, w.Status.ReadyReplicas, cond)
	}
	ready, err := r.applyReplicas(ctx, w)
	if err != nil {
		r.Recorder.Eventf(w, "Warning", "ApplyFailed", "%v", err)
		cond := api.Condition{Type: "Ready", Status: "False", Reason: "ApplyFailed", Message: err.Error()}
		return Result{}, errors.Join(err, r.updateStatus(w, ready, cond))
	}
	if err := r.updateStatus(w, ready, readyCondition(ready, w.Spec.Replicas)); err != nil {
		return Result{}, err
	}
	if ready < w.Spec.Replicas {
		return Result{RequeueAfter: 10 * time.Second}, nil
	}
	return Result{}, nil
}

func (r *WidgetReconciler) widgetDir(w *api.Widget) string {
	return filepath.Join(r.OutputDir, w.Namespace, w.Name)
}

// applyReplicas renders the replicas, bounded by ApplyTimeout when one is configured.
func (r *WidgetReconciler) applyReplicas(ctx context.Context, w *api.Widget) (int, error) {
	var cancel context.CancelFunc
	if r.ApplyTimeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, r.ApplyTimeout)
	}
	defer cancel() // HAZ defer-nil-func
	dir := r.widgetDir(w)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	ready, err := r.renderReplicas(ctx, dir, w)
	if err != nil {
		return ready, err
	}
	return ready, r.pruneStale(dir, w.Spec.Replicas)
}

// verifyReplicas checks that every rendered replica matches the current generation.
func (r *WidgetReconciler) verifyReplicas(ctx context.Context, w *api.Widget) (int, error) {
	cancel := context.CancelFunc(func() {})
	if r.ApplyTimeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, r.ApplyTimeout)
	}
	defer cancel()
	dir := r.widgetDir(w)
	current := 0
	for i := range w.Spec.Replicas {
		if err := ctx.Err(); err != nil {
			return current, err
		}
		ok, err := func() (bool, error) {
			f, err := os.Open(filepath.Join(dir, replicaFile(w.Name, i)))
			if errors.Is(err, fs.ErrNotExist) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			defer f.Close()
			var m replicaManifest
			if err := json.NewDecoder(f).Decode(&m); err != nil {
				return false, nil
			}
			return m.Generation == w.Generation && m.Image == w.Spec.Image, nil
		}()
		if err != nil {
			return current, err
		}
		if ok {
			current++
		}
	}
	return current, nil
}

func replicaFile(name string, i int) string {
	return name + "-" + strconv.Itoa(i) + ".json"
}

// renderReplicas writes one manifest per replica; each file is closed before the next is opened.
func (r *WidgetReconciler) renderReplicas(ctx context.Context, dir string, w *api.Widget) (int, error) {
	ready := 0
	for i := 0; i < w.Spec.Replicas; i++ {
		if err := ctx.Err(); err != nil {
			return ready, err
		}
		err := func() (err error) {
			f, err := os.Create(filepath.Join(dir, replicaFile(w.Name, i)))
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, f.Close()) }()
			return json.NewEncoder(f).Encode(replicaManifest{
				Widget:     w.Namespace + "/" + w.Name,
				Index:      i,
				Image:      w.Spec.Image,
				Generation: w.Generation,
			})
		}()
		if err != nil {
			return ready, fmt.Errorf("render replica %d of %s: %w", i, w.Name, err)
		}
		ready++
	}
	return ready, nil
}

// pruneStale removes manifests of replicas beyond the desired count.
func (r *WidgetReconciler) pruneStale(dir string, replicas int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		base := strings.TrimSuffix(e.Name(), ".json")
		dash := strings.LastIndexByte(base, '-')
		if dash < 0 {
			continue
		}
		idx, err := strconv.Atoi(base[dash+1:])
		if err != nil || idx < replicas {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// finalize removes what was rendered for a deleted widget and then its status.
func (r *WidgetReconciler) finalize(w *api.Widget) error {
	if !w.HasFinalizer(FinalizerName) {
		return nil
	}
	var err error
	defer func() { // HAZ defer-ineffective-return
		if rerr := r.Status.Remove(w.Namespace, w.Name); rerr != nil && err == nil {
			err = fmt.Errorf("remove status of %s/%s: %w", w.Namespace, w.Name, rerr)
		}
	}()
	if err = r.removeRendered(w); err != nil {
		return err
	}
	w.RemoveFinalizer(FinalizerName)
	r.Recorder.Eventf(w, "Normal", "Finalized", "removed rendered replicas")
	return nil
}

// removeRendered deletes the widget's output directory and reports the outcome.
func (r *WidgetReconciler) removeRendered(w *api.Widget) (err error) {
	dir := r.widgetDir(w)
	defer func() {
		if err != nil {
			r.Metrics.ObserveError("remove_rendered")
			return
		}
		r.Recorder.Eventf(w, "Normal", "Cleaned", "removed %s", dir)
	}()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return os.Remove(dir)
}

// updateStatus computes the new status and persists it.
func (r *WidgetReconciler) updateStatus(w *api.Widget, ready int, cond api.Condition) error {
	defer r.Metrics.Track("status_update") // HAZ defer-func-result-not-called
	w.Status.ObservedGeneration = w.Generation
	w.Status.ReadyReplicas = ready
	w.Status.Phase = phaseFor(w, ready)
	w.Status.Conditions = api.SetCondition(w.Status.Conditions, cond, r.Now())
	rec := status.Record{
		Namespace:  w.Namespace,
		Name:       w.Name,
		Generation: w.Generation,
		Status:     w.Status,
		UpdatedAt:  r.Now(),
	}
	if err := r.Status.Write(rec); err != nil {
		return fmt.Errorf("write status of %s/%s: %w", w.Namespace, w.Name, err)
	}
	return nil
}

func phaseFor(w *api.Widget, ready int) string {
	switch {
	case w.Spec.Paused:
		return "Paused"
	case ready >= w.Spec.Replicas:
		return "Running"
	case ready == 0:
		return "Pending"
	}
	return "Progressing"
}

func readyCondition(ready, desired int) api.Condition {
	if ready >= desired {
		return api.Condition{Type: "Ready", Status: "True", Reason: "AllReplicasRendered"}
	}
	return api.Condition{
		Type:    "Ready",
		Status:  "False",
		Reason:  "ReplicasPending",
		Message: fmt.Sprintf("%d of %d replicas rendered", ready, desired),
	}
}

// Audit compares what is rendered with the cache for every widget and returns the keys that drifted.
func (r *WidgetReconciler) Audit(ctx context.Context) ([]string, error) {
	defer r.Metrics.Track("audit")()
	var drifted []string
	for _, obj := range r.Store.List() {
		w, ok := obj.(*api.Widget)
		if !ok || w.IsDeleting() {
			continue
		}
		current, err := r.verifyReplicas(ctx, w)
		if err != nil {
			return drifted, err
		}
		if current != w.Spec.Replicas {
			drifted = append(drifted, w.Namespace+"/"+w.Name)
		}
	}
	return drifted, nil
}
