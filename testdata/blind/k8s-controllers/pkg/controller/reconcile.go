package controller

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/k8scontrollers/pkg/api"
	"example.com/k8scontrollers/pkg/cache"
)

// WidgetFinalizer guards external cleanup of a Widget.
const WidgetFinalizer = "widgets.example.com/cleanup"

// WidgetClient is the part of the API client the reconciler needs.
type WidgetClient interface {
	Get(ctx context.Context, key string) (*api.Widget, error)
	Update(ctx context.Context, w *api.Widget) (*api.Widget, error)
	UpdateStatus(ctx context.Context, w *api.Widget) error
	Delete(ctx context.Context, key string) error
}

// WidgetReconciler reconciles Widgets read from the informer cache.
type WidgetReconciler struct {
	client     WidgetClient
	store      *cache.Store
	finalizers *FinalizerRegistry
	recorder   *EventRecorder
	log        *log.Logger
	now        func() time.Time

	mu       sync.Mutex
	inflight map[string]time.Time
}

// NewWidgetReconciler wires a reconciler.
func NewWidgetReconciler(c WidgetClient, store *cache.Store, f *FinalizerRegistry, rec *EventRecorder, logger *log.Logger) *WidgetReconciler {
	if logger == nil {
		logger = log.Default()
	}
	return &WidgetReconciler{
		client:     c,
		store:      store,
		finalizers: f,
		recorder:   rec,
		log:        logger,
		now:        time.Now,
		inflight:   map[string]time.Time{},
	}
}

// trace logs the start of op and returns the function logging its end.
func (r *WidgetReconciler) trace(op string) func() {
	start := r.now()
	r.log.Printf("begin %s", op)
	return func() {
		r.log.Printf("end %s after %v", op, r.now().Sub(start))
	}
}

// Reconcile implements Reconciler.
func (r *WidgetReconciler) Reconcile(ctx context.Context, key string) (Result, error) {
	defer r.trace("reconcile " + key)()
	if !r.beginReconcile(key) {
		return Result{RequeueAfter: time.Second}, nil
	}
	defer r.endReconcile(key)
	obj, ok := r.store.Get(key)
	if !ok {
		return Result{}, nil
	}
	w, ok := obj.(*api.Widget)
	if !ok {
		return Result{}, fmt.Errorf("reconcile %s: unexpected type %T", key, obj)
	}
	w = w.DeepCopy()
	if w.IsDeleting() {
		return r.reconcileDelete(ctx, w)
	}
	return r.reconcileNormal(ctx, w)
}

func (r *WidgetReconciler) reconcileDelete(ctx context.Context, w *api.Widget) (Result, error) {
	defer r.trace("finalize " + w.Key()) // HAZ defer-func-result-not-called
	if !w.HasFinalizer(WidgetFinalizer) {
		return Result{}, nil
	}
	if err := r.finalizers.Finalize(ctx, w); err != nil {
		r.recorder.Eventf(w, "Warning", "FinalizeFailed", "finalizer failed: %v", err)
		return Result{Requeue: true}, err
	}
	w.RemoveFinalizer(WidgetFinalizer)
	if _, err := r.client.Update(ctx, w); err != nil {
		return Result{}, fmt.Errorf("remove finalizer from %s: %w", w.Key(), err)
	}
	r.recorder.Eventf(w, "Normal", "Finalized", "cleanup of %s completed", w.Key())
	return Result{}, nil
}

func (r *WidgetReconciler) reconcileNormal(ctx context.Context, w *api.Widget) (Result, error) {
	if w.AddFinalizer(WidgetFinalizer) {
		updated, err := r.client.Update(ctx, w)
		if err != nil {
			return Result{}, fmt.Errorf("add finalizer to %s: %w", w.Key(), err)
		}
		w = updated
	}
	if w.Spec.Paused {
		return Result{}, nil
	}
	w.Status = r.desiredStatus(w)
	if err := r.updateStatusWithRetry(ctx, w); err != nil {
		return Result{}, err
	}
	if !w.IsReady() {
		return Result{RequeueAfter: 10 * time.Second}, nil
	}
	return Result{}, nil
}

// desiredStatus computes the status the widget should report.
func (r *WidgetReconciler) desiredStatus(w *api.Widget) api.WidgetStatus {
	st := w.Status
	st.ObservedGeneration = w.Generation
	st.ReadyReplicas = w.Spec.Replicas
	cond := api.Condition{Type: "Ready", Status: "True", Reason: "ReplicasAvailable"}
	if w.Spec.Image == "" {
		cond = api.Condition{Type: "Ready", Status: "False", Reason: "NoImage", Message: "spec.image is empty"}
		st.ReadyReplicas = 0
	}
	st.Conditions = api.SetCondition(st.Conditions, cond, r.now())
	return st
}

// updateStatusWithRetry writes the status, re-reading the object on
// conflicts.
func (r *WidgetReconciler) updateStatusWithRetry(ctx context.Context, w *api.Widget) error {
	return RetryOnConflict(DefaultRetry, func() error {
		err := r.client.UpdateStatus(ctx, w)
		if !IsConflict(err) {
			return err
		}
		latest, gerr := r.client.Get(ctx, w.Key())
		if gerr != nil {
			return gerr
		}
		latest.Status = w.Status
		*w = *latest
		return err
	})
}

// beginReconcile records key as in flight, refusing concurrent reconciles of
// the same key.
func (r *WidgetReconciler) beginReconcile(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, busy := r.inflight[key]; busy {
		return false
	}
	r.inflight[key] = r.now()
	return true
}

func (r *WidgetReconciler) endReconcile(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.inflight, key)
}

// MarkInflight reserves keys for a bulk operation.
func (r *WidgetReconciler) MarkInflight(keys []string) {
	now := r.now()
	for _, k := range keys {
		r.mu.Lock()
		defer r.mu.Unlock() // HAZ defer-in-loop
		if _, busy := r.inflight[k]; !busy {
			r.inflight[k] = now
		}
	}
}

// ReleaseInflight undoes MarkInflight.
func (r *WidgetReconciler) ReleaseInflight(keys []string) {
	for _, k := range keys {
		func() {
			r.mu.Lock()
			defer r.mu.Unlock()
			delete(r.inflight, k)
		}()
	}
}

// InflightFor reports how long key has been in flight.
func (r *WidgetReconciler) InflightFor(key string) (time.Duration, bool) {
	r.mu.Lock()
	since, ok := r.inflight[key]
	r.mu.Unlock()
	if !ok {
		return 0, false
	}
	return r.now().Sub(since), true
}
