//go:build go1.22

package plugin

import (
	"log"
	"strings"
)

// Newer helpers, only built with Go 1.22 or later toolchains, where every
// iteration of a loop declared with := gets fresh variables.

// FireAll runs every callback of every kind in its own goroutine.
func (h *Hooks) FireAll(ev Event) {
	h.mu.RLock()
	kinds := make([]string, 0, len(h.byKey))
	for k := range h.byKey {
		kinds = append(kinds, k)
	}
	h.mu.RUnlock()
	for _, kind := range kinds {
		for _, cb := range h.callbacks(kind) {
			h.wg.Add(1)
			go func() { // ok: per-iteration cb and kind in this file
				defer h.wg.Done()
				e := ev
				e.Kind = kind
				cb(e)
			}()
		}
	}
}

// Suffixed builds one callback per suffix; no copy is needed here.
func Suffixed(suffixes []string, sink func(suffix string, ev Event)) []Callback {
	var cbs []Callback
	for _, suffix := range suffixes {
		cbs = append(cbs, func(ev Event) {
			if strings.HasSuffix(ev.Source, suffix) {
				sink(suffix, ev)
			}
		})
	}
	return cbs
}

// Numbered returns n callbacks, each reporting its own index.
func Numbered(n int, report func(i int, ev Event)) []Callback {
	var cbs []Callback
	for i := range n {
		cbs = append(cbs, func(ev Event) { report(i, ev) })
	}
	return cbs
}

// FireRetrying dispatches ev to the callbacks of its kind from a shared
// cursor so that a caller can resume after a failure.
func (h *Hooks) FireRetrying(ev Event, cursor *int) {
	cbs := h.callbacks(ev.Kind)
	var i int
	for i = *cursor; i < len(cbs); i++ {
		h.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer h.wg.Done()
			cbs[i](ev)
		}()
		log.Printf("hooks: dispatched %s #%d", ev.Kind, i)
	}
	*cursor = i
}
