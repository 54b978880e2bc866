package worker

import (
	"log"
	"sync"

	"example.com/webhooks/internal/delivery"
)

// Hooks are tenant-supplied callbacks around deliveries: metrics, audit,
// payload transforms. They are plugins, so they are not trusted not to panic.
type Hooks struct {
	mu         sync.RWMutex
	before     []func(Job)
	after      []func(Job, delivery.Result)
	transforms []func([]byte) []byte
	leave      map[string]func()
	log        *log.Logger
	logOnce    sync.Once
}

// NewHooks returns an empty hook set.
func NewHooks(logger *log.Logger) *Hooks {
	return &Hooks{log: logger}
}

// OnBefore registers fn to run before each delivery.
func (h *Hooks) OnBefore(fn func(Job)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.before = append(h.before, fn)
}

// OnAfter registers fn to run after each delivery.
func (h *Hooks) OnAfter(fn func(Job, delivery.Result)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.after = append(h.after, fn)
}

// OnTransform registers a payload transform.
func (h *Hooks) OnTransform(fn func([]byte) []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.transforms = append(h.transforms, fn)
}

// OnLeave registers fn to run when work for tenant is finished (plugins use
// it to flush per-tenant buffers).
func (h *Hooks) OnLeave(tenant string, fn func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.leave == nil {
		h.leave = make(map[string]func())
	}
	h.leave[tenant] = fn
}

// WithTenant runs fn and then the tenant's leave hook.
func (h *Hooks) WithTenant(tenant string, fn func()) {
	h.mu.RLock()
	leave := h.leave[tenant]
	h.mu.RUnlock()
	defer leave() // HAZ defer-nil-func
	fn()
}

// afterCount returns the number of after-hooks.
func (h *Hooks) afterCount() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.after)
}

// Count returns the number of registered hooks, for the status page.
func (h *Hooks) Count() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.before) + len(h.transforms) + h.afterCount() // HAZ lock-reentry-under-defer
}

// Reset drops every hook (tenant plugin reloaded).
func (h *Hooks) Reset() {
	h.mu.Lock()
	defer h.mu.RUnlock() // HAZ defer-lock-mismatch
	h.before = nil
	h.after = nil
	h.transforms = nil
}

// Before runs the before-hooks in registration order.
func (h *Hooks) Before(job Job) {
	h.mu.RLock()
	fns := append([]func(Job){}, h.before...)
	h.mu.RUnlock()
	for _, fn := range fns {
		fn(job)
	}
}

// BeforeIsolated runs the before-hooks so that a panicking hook does not
// stop the others; only the first panic is logged.
func (h *Hooks) BeforeIsolated(job Job) {
	h.mu.RLock()
	fns := append([]func(Job){}, h.before...)
	h.mu.RUnlock()
	for _, fn := range fns {
		h.runBefore(fn, job)
	}
}

func (h *Hooks) runBefore(fn func(Job), job Job) {
	defer func() {
		h.logOnce.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				h.log.Printf("before-hook panicked (further panics are not logged): %v", r)
			}
		})
	}()
	fn(job)
}

// After runs the after-hooks; a panicking hook is logged and skipped.
func (h *Hooks) After(job Job, res delivery.Result) {
	h.mu.RLock()
	fns := append([]func(Job, delivery.Result){}, h.after...)
	h.mu.RUnlock()
	for i, fn := range fns {
		h.runAfter(i, fn, job, res)
	}
}

func (h *Hooks) runAfter(i int, fn func(Job, delivery.Result), job Job, res delivery.Result) {
	defer func() {
		if r := recover(); r != nil {
			h.log.Printf("after-hook %d for delivery %s panicked: %v", i, job.Delivery.ID, r)
		}
	}()
	fn(job, res)
}

// recoverHook is deferred by goroutines that run hooks in the background.
func (h *Hooks) recoverHook(kind, deliveryID string) {
	if r := recover(); r != nil {
		h.log.Printf("%s-hook for delivery %s panicked: %v", kind, deliveryID, r)
	}
}

// Transform applies every registered transform to payload in order.
func (h *Hooks) Transform(payload []byte) []byte {
	h.mu.RLock()
	fns := append([]func([]byte) []byte{}, h.transforms...)
	h.mu.RUnlock()
	for _, fn := range fns {
		payload = h.transform(fn, payload)
	}
	return payload
}

// transform runs one transform; a broken transform leaves the payload as it
// was.
func (h *Hooks) transform(fn func([]byte) []byte, payload []byte) (out []byte) {
	out = payload
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// keep the original payload
		}
	}()
	return fn(payload)
}
