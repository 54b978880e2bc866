package callchain

import (
	"encoding/json"
	"io"
	"sync"
	"sync/atomic"
)

type kvStore struct {
	pub atomic.Pointer[map[string]string]
}

func (s *kvStore) current() map[string]string {
	if m := s.pub.Load(); m != nil {
		return *m
	}
	return nil
}

func (s *kvStore) set(k, v string) {
	next := map[string]string{k: v}
	for key, val := range s.current() {
		if key != k {
			next[key] = val
		}
	}
	s.pub.Store(&next)
}

// The response is meant to carry the new state, but s.current() is evaluated at the defer.
func (s *kvStore) update(w io.Writer, upd map[string]string) {
	defer json.NewEncoder(w).Encode(s.current()) // want `in defer json\.NewEncoder\(w\)\.Encode\(s\.current\(\)\), json\.NewEncoder\(w\) and the argument s\.current\(\) run now, at the defer statement; s\.current\(\) reads s\.pub, which kvStore\.update changes afterwards through s\.set\(k, v\)`
	for k, v := range upd {
		s.set(k, v)
	}
}

// ---- not flagged ----

// Nothing changes the state after the defer.
func (s *kvStore) show(w io.Writer) {
	defer json.NewEncoder(w).Encode(s.current())
}

// The whole chain runs at exit.
func (s *kvStore) updateAtExit(w io.Writer, upd map[string]string) {
	defer func() { _ = json.NewEncoder(w).Encode(s.current()) }()
	for k, v := range upd {
		s.set(k, v)
	}
}

type segment struct{ name string }

func (s *segment) sync() error { return nil }

type history struct {
	seg  *segment
	size int
	max  int
}

func (h *history) active() *segment { return h.seg }

func (h *history) roll() {
	h.seg = &segment{name: "next"}
	h.size = 0
}

func (h *history) appendLine(line string) {
	if h.size >= h.max {
		h.roll()
	}
	h.size += len(line)
}

// appendLine may roll to a new segment (through roll): the deferred sync reaches the old one.
func (h *history) appendBatch(lines []string) {
	defer h.active().sync() // want `in defer h\.active\(\)\.sync\(\), h\.active\(\) runs now, at the defer statement, and reads h\.seg, which history\.appendBatch changes afterwards through h\.appendLine\(l\)`
	for _, l := range lines {
		h.appendLine(l)
	}
}

type phaseTimer struct{ name string }

func (t *phaseTimer) observeSince(start int64) { _ = start }

type phasedReconciler struct{ phase string }

func (r *phasedReconciler) currentPhase() string { return r.phase }

func (r *phasedReconciler) setPhase(p string) { r.phase = p }

func histogram(name string) *phaseTimer { return &phaseTimer{name: name} }

// The histogram's name is computed now, from the phase the function is about to change.
func (r *phasedReconciler) reconcile(start int64) {
	defer histogram("reconcile_" + r.currentPhase()).observeSince(start) // want `and the argument r\.currentPhase\(\) run now, at the defer statement; r\.currentPhase\(\) reads r\.phase, which phasedReconciler\.reconcile changes afterwards through r\.setPhase\("sync"\)`
	r.setPhase("sync")
}

type fakeClock struct{}

func (c *fakeClock) Freeze() *fakeClock { return c }
func (c *fakeClock) Unfreeze()          {}

// The deferred call undoes the early one: the intended pairing.
func frozen(c *fakeClock, run func()) {
	defer c.Freeze().Unfreeze()
	run()
}

type ledgerTotal struct{ sum int64 }

func (t ledgerTotal) expect(before ledgerTotal) bool { return t.sum == before.sum }

type ledgerStore struct{ balances map[string]int64 }

func (s *ledgerStore) total() ledgerTotal {
	var t ledgerTotal
	for _, b := range s.balances {
		t.sum += b
	}
	return t
}

// The "after" total is taken now, before the transfer it should check.
func (s *ledgerStore) transferChecked(move func()) {
	before := s.total()
	defer s.total().expect(before) // want `in defer s\.total\(\)\.expect\(before\), s\.total\(\) runs now, at the defer statement`
	move()
}

type roster struct{ names []string }

func (r roster) announce() int { return len(r.names) }

type presenceHub struct {
	mu      sync.Mutex
	members map[string]bool
}

func (h *presenceHub) roster() roster {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := roster{}
	for n := range h.members {
		r.names = append(r.names, n)
	}
	return r
}

func (h *presenceHub) remove(name string) {
	h.mu.Lock()
	delete(h.members, name)
	h.mu.Unlock()
}

// The roster is taken at the defer statement, before the member leaves: it still names them.
func (h *presenceHub) leave(name string) {
	defer h.roster().announce() // want `h\.roster\(\) runs now, at the defer statement, and reads h\.members, which presenceHub\.leave changes afterwards through h\.remove\(name\)`
	h.remove(name)
}

// Announced before anything changes: the roster is the current one.
func (h *presenceHub) ping() int {
	defer h.roster().announce()
	return len(h.members)
}
