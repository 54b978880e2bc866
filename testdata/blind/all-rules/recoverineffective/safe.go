// Package safe isolates plugin and handler panics.
package safe

import (
	"fmt"
	"log"
	"net/http"
	"runtime/debug"
	"sync"
)

// Plugin is a loaded extension.
type Plugin struct {
	Name string
	Run  func(input []byte) ([]byte, error)
}

// Host runs plugins.
type Host struct {
	once    sync.Once
	panics  int
	plugins map[string]*Plugin
}

func (h *Host) report(v any) {
	if v != nil {
		h.panics++
		log.Printf("plugin panic: %v", v)
	}
}

func logPanic(where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("%s: panic: %v\n%s", where, r, debug.Stack())
	}
}

func guard(op string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("%s: recovered %v", op, r)
	}
}

func invoke(fn func()) { fn() }

func handlePanic() {
	if r := recover(); r != nil {
		log.Printf("panic: %v\n%s", r, debug.Stack())
	}
}

func logIfPanic(r any) {
	if r != nil {
		log.Printf("panic: %v", r)
	}
}

func recoverTo(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("recovered: %v", r)
	}
}

// Call runs a plugin, intending to survive its panics.
func (h *Host) Call(p *Plugin, in []byte) ([]byte, error) {
	defer recover() // HAZ recover-ineffective
	return p.Run(in)
}

// CallLogged runs a plugin and logs a panic.
func (h *Host) CallLogged(p *Plugin, in []byte) ([]byte, error) {
	defer log.Println("plugin", p.Name, "recovered:", recover()) // HAZ recover-ineffective
	return p.Run(in)
}

// CallNested recovers inside a nested literal.
func (h *Host) CallNested(p *Plugin, in []byte) ([]byte, error) {
	defer func() {
		func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				log.Printf("plugin %s: %v", p.Name, r)
			}
		}()
	}()
	return p.Run(in)
}

// Worker runs the plugin loop and logs panics through a helper.
func (h *Host) Worker(p *Plugin, inputs [][]byte) {
	defer func() { logPanic("worker " + p.Name) }()
	for _, in := range inputs {
		if _, err := p.Run(in); err != nil {
			log.Printf("plugin %s: %v", p.Name, err)
		}
	}
}

// Warmup runs every plugin once and then checks for a panic.
func (h *Host) Warmup() {
	for _, p := range h.plugins {
		if _, err := p.Run(nil); err != nil {
			log.Printf("warmup %s: %v", p.Name, err)
		}
	}
	guard("warmup")
}

// CallReported hands the recovered value to a method.
func (h *Host) CallReported(p *Plugin, in []byte) ([]byte, error) {
	defer h.report(recover()) // HAZ recover-ineffective
	return p.Run(in)
}

// Init initialises plugins once, recovering inside the once callback.
func (h *Host) Init(setup func()) {
	defer func() {
		h.once.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				log.Printf("init panicked: %v", r)
			}
		})
	}()
	setup()
}

// Reload reloads plugins and runs a local recovery closure at the end.
func (h *Host) Reload(load func() map[string]*Plugin) {
	onPanic := func() {
		if r := recover(); r != nil { // HAZ recover-ineffective
			log.Printf("reload panicked: %v", r)
		}
	}
	h.plugins = load()
	onPanic()
}

// CallIndirect defers a runner that invokes the recovering literal.
func (h *Host) CallIndirect(p *Plugin, in []byte) ([]byte, error) {
	defer invoke(func() {
		if r := recover(); r != nil { // HAZ recover-ineffective
			log.Printf("plugin %s: %v", p.Name, r)
		}
	})
	return p.Run(in)
}

// ---- negatives ----

// CallSafe recovers directly in the deferred literal.
func (h *Host) CallSafe(p *Plugin, in []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil { // ok
			err = fmt.Errorf("plugin %s panicked: %v", p.Name, r)
		}
	}()
	return p.Run(in)
}

// Loop defers the helper that calls recover directly.
func (h *Host) Loop(p *Plugin, inputs [][]byte) {
	defer handlePanic() // ok: recover is called directly by the deferred function
	for _, in := range inputs {
		if _, err := p.Run(in); err != nil {
			log.Printf("plugin %s: %v", p.Name, err)
		}
	}
}

// ServeHTTP answers 500 when the handler panics.
func (h *Host) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer h.recoverRequest(w, r) // ok: deferred method calls recover directly
	p, ok := h.plugins[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	out, err := p.Run(nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	_, _ = w.Write(out)
}

func (h *Host) recoverRequest(w http.ResponseWriter, r *http.Request) {
	if v := recover(); v != nil {
		log.Printf("%s %s: panic: %v", r.Method, r.URL.Path, v)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// CallForwarded passes recover's value from the deferred literal to a logger.
func (h *Host) CallForwarded(p *Plugin, in []byte) ([]byte, error) {
	defer func() { logIfPanic(recover()) }() // ok: recover called directly by the literal
	return p.Run(in)
}

// Safely runs fn and turns a panic into an error.
func Safely[T any](fn func() T) (res T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	return fn(), nil
}

// ReloadDeferred defers the recovery closure value itself.
func (h *Host) ReloadDeferred(load func() map[string]*Plugin) {
	onPanic := func() {
		if r := recover(); r != nil {
			log.Printf("reload panicked: %v", r)
		}
	}
	defer onPanic() // ok: the deferred function is the literal
	h.plugins = load()
}

// CallInto records a panic through a pointer to the named result.
func (h *Host) CallInto(p *Plugin, in []byte) (out []byte, err error) {
	defer recoverTo(&err) // ok
	return p.Run(in)
}

// Swap replaces a plugin, restoring the old one if setup panics.
func (h *Host) Swap(name string, next *Plugin, setup func(*Plugin)) {
	prev := h.plugins[name]
	h.plugins[name] = next
	defer func() {
		if r := recover(); r != nil {
			h.plugins[name] = prev
			panic(r) // ok: re-panics after restoring state
		}
	}()
	setup(next)
}

// Trace logs the stack of a panic and keeps going.
func (h *Host) Trace(p *Plugin, in []byte) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("plugin %s: %v", p.Name, r)
			debug.PrintStack()
		}
	}()
	_, _ = p.Run(in)
}
