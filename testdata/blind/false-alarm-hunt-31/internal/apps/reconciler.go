// Package apps is the reconciler for "App" objects: it renders each App's
// spec into a working directory, maintains its status and finalizer, and
// cleans up when the App is deleted.
package apps

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"text/template"
	"time"

	"example.com/fah31/api"
	"example.com/fah31/internal/cache"
	"example.com/fah31/internal/controller"
	"example.com/fah31/internal/events"
	"example.com/fah31/internal/finalizer"
	"example.com/fah31/internal/status"
)

// Reconciler implements controller.Reconciler for Apps.
type Reconciler struct {
	store    *cache.Store
	status   *status.Writer
	cleaner  *finalizer.Cleaner
	recorder *events.Recorder
	log      *log.Logger

	outcomes sync.Map // key -> string, for the debug page

	mu       sync.Mutex
	rendered map[string]int64 // key -> generation last rendered
}

// New returns an App reconciler.
func New(store *cache.Store, sw *status.Writer, cl *finalizer.Cleaner, rec *events.Recorder, logger *log.Logger) *Reconciler {
	return &Reconciler{
		store: store, status: sw, cleaner: cl, recorder: rec, log: logger,
		rendered: make(map[string]int64),
	}
}

func (r *Reconciler) recordOutcome(key string, err error) {
	msg := "ok"
	if err != nil {
		msg = err.Error()
	}
	r.outcomes.Store(key, time.Now().Format(time.RFC3339)+" "+msg)
}

// Outcome returns the last recorded outcome of key.
func (r *Reconciler) Outcome(key string) string {
	v, ok := r.outcomes.Load(key)
	if !ok {
		return ""
	}
	return v.(string)
}

// Reconcile implements controller.Reconciler.
func (r *Reconciler) Reconcile(ctx context.Context, key string) (res controller.Result, err error) {
	defer r.recordOutcome(key, err) // HAZ defer-eager-evaluation
	obj, ok := r.store.Get(key)
	if !ok {
		return controller.Result{}, nil
	}
	if obj.IsDeleting() {
		return r.finalize(ctx, obj)
	}
	if !obj.HasFinalizer(finalizer.Name) {
		obj.Finalizers = append(obj.Finalizers, finalizer.Name)
		r.store.Add(obj)
		return controller.Result{Requeue: true}, nil
	}
	if err = r.render(obj); err != nil {
		r.setReady(obj, "False", "RenderFailed", err.Error())
		return controller.Result{RequeueAfter: 30 * time.Second}, err
	}
	r.setReady(obj, "True", "Rendered", "configuration is up to date")
	return controller.Result{}, nil
}

// ReconcileLogged is the same entry point with the outcome recorded from
// the named results at exit.
func (r *Reconciler) ReconcileLogged(ctx context.Context, key string) (res controller.Result, err error) {
	defer func() { r.recordOutcome(key, err) }()
	return r.Reconcile(ctx, key)
}

// finalize removes the working directory, then the finalizer. While the
// directory is still there it asks to be called again.
func (r *Reconciler) finalize(ctx context.Context, obj *api.Object) (controller.Result, error) {
	removed, err := r.cleaner.Finalize(ctx, obj)
	if err != nil {
		r.recorder.Eventf(api.KeyOf(obj), "Warning", "FinalizeFailed", "%v", err)
		return controller.Result{RequeueAfter: 10 * time.Second}, err
	}
	if !removed {
		return controller.Result{}, nil
	}
	r.mu.Lock()
	delete(r.rendered, api.KeyOf(obj))
	r.mu.Unlock()
	r.store.Add(obj)
	return controller.Result{}, nil
}

// render writes the spec if the generation changed. The map is consulted
// and updated under the mutex; all early returns happen with it released.
func (r *Reconciler) render(obj *api.Object) error {
	key := api.KeyOf(obj)
	r.mu.Lock()
	last, seen := r.rendered[key]
	r.mu.Unlock()
	if seen && last == obj.Generation {
		return nil
	}
	dir := r.cleaner.WorkDir(obj)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeConfig(filepath.Join(dir, "app.conf"), obj.Spec); err != nil {
		return err
	}
	if err := renderTemplates(obj, dir); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rendered[key] = obj.Generation
	return nil
}

// writeConfig writes key=value lines; Flush is checked and the file's
// close error is joined into the named result.
func writeConfig(path string, spec map[string]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	keys := make([]string, 0, len(spec))
	for k := range spec {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	bw := bufio.NewWriter(f)
	for _, k := range keys {
		if _, err := fmt.Fprintf(bw, "%s=%s\n", k, spec[k]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// renderTemplates renders every "tmpl.<name>" spec entry into dir.
func renderTemplates(obj *api.Object, dir string) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = fmt.Errorf("render templates of %s: %w", api.KeyOf(obj), err)
		}
	}()
	for name, text := range obj.Spec {
		if !strings.HasPrefix(name, "tmpl.") {
			continue
		}
		if err = renderOne(filepath.Join(dir, strings.TrimPrefix(name, "tmpl.")), text, obj); err != nil {
			return err
		}
	}
	return nil
}

// renderTemplatesWrapped wraps the error through the named result.
func renderTemplatesWrapped(obj *api.Object, dir string) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("render templates of %s: %w", api.KeyOf(obj), err)
		}
	}()
	for name, text := range obj.Spec {
		if !strings.HasPrefix(name, "tmpl.") {
			continue
		}
		if err = renderOne(filepath.Join(dir, strings.TrimPrefix(name, "tmpl.")), text, obj); err != nil {
			return err
		}
	}
	return nil
}

func renderOne(path, text string, obj *api.Object) (err error) {
	t, err := template.New(filepath.Base(path)).Option("missingkey=error").Parse(text)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return t.Execute(f, obj)
}

// setReady records the Ready condition and persists the status.
func (r *Reconciler) setReady(obj *api.Object, st, reason, msg string) {
	obj.Status.ObservedGeneration = obj.Generation
	obj.Status.SetCondition(api.Condition{Type: "Ready", Status: st, Reason: reason, Message: msg})
	if st == "True" {
		obj.Status.Phase = "Ready"
	} else {
		obj.Status.Phase = "Degraded"
	}
	if err := r.status.WriteStatus(obj); err != nil {
		r.log.Printf("apps: write status of %s: %v", api.KeyOf(obj), err)
	}
}

// ReconcileStamped reconciles and records when the reconcile finished.
func (r *Reconciler) ReconcileStamped(ctx context.Context, key string) (controller.Result, error) {
	defer r.outcomes.Store(key+"#finished", time.Now()) // HAZ defer-eager-evaluation
	return r.Reconcile(ctx, key)
}

// ReconcileStartedAt records the start time on purpose: the snapshot
// argument is the intended value.
func (r *Reconciler) ReconcileStartedAt(ctx context.Context, key string) (controller.Result, error) {
	started := time.Now()
	defer r.outcomes.Store(key+"#started", started)
	return r.Reconcile(ctx, key)
}
