// Package anticheat validates player inputs against what the simulation
// allows. Rules are written against well-formed inputs and panic on values a
// legitimate client can never produce; callers recover and treat the panic
// as a violation.
package anticheat

import (
	"context"
	"fmt"
	"log"
	"math"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/gamesrv/internal/protocol"
)

// Violation is a detected cheat (or a malformed input).
type Violation struct {
	Player string `json:"player"`
	Rule   string `json:"rule"`
	Detail string `json:"detail"`
}

func (v *Violation) Error() string {
	return fmt.Sprintf("anticheat: %s violated %s: %s", v.Player, v.Rule, v.Detail)
}

// Sink receives violation reports (the moderation service).
type Sink interface {
	Write(ctx context.Context, v Violation) error
}

// Checker holds per-player rule state.
type Checker struct {
	maxFirePerSec int
	reportTimeout time.Duration
	logger        *log.Logger
	now           func() time.Time

	mu        sync.Mutex
	fireTimes map[string][]time.Time

	reports chan Violation // never closed: Report may be called at any time
	audits  atomic.Int64
}

// NewChecker returns a checker with production limits.
func NewChecker(logger *log.Logger) *Checker {
	return &Checker{
		maxFirePerSec: 12,
		reportTimeout: 3 * time.Second,
		logger:        logger,
		now:           time.Now,
		fireTimes:     make(map[string][]time.Time),
		reports:       make(chan Violation, 1024),
	}
}

// Validate runs every rule on one input transition.
func (c *Checker) Validate(player string, prev, cur protocol.Input, dt float64) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if r := recover(); r != nil {
			err = &Violation{Player: player, Rule: "malformed", Detail: fmt.Sprint(r)}
		}
	}()
	if err = c.checkSpeed(player, prev, cur, dt); err != nil {
		return err
	}
	if err = c.checkAim(player, prev, cur); err != nil {
		return err
	}
	return c.checkFireRate(player, cur)
}

// Check is Validate with the panic-to-violation conversion done right.
func (c *Checker) Check(player string, prev, cur protocol.Input, dt float64) (err error) {
	defer c.recoverRule(player, &err)
	if err := c.checkSpeed(player, prev, cur, dt); err != nil {
		return err
	}
	if err := c.checkAim(player, prev, cur); err != nil {
		return err
	}
	return c.checkFireRate(player, cur)
}

// recoverRule turns a rule panic into a "malformed" violation. It must be
// deferred directly.
func (c *Checker) recoverRule(player string, err *error) {
	if r := recover(); r != nil {
		c.logger.Printf("anticheat: rule panicked for %s: %v", player, r)
		*err = &Violation{Player: player, Rule: "malformed", Detail: fmt.Sprint(r)}
	}
}

func (c *Checker) checkSpeed(player string, prev, cur protocol.Input, dt float64) error {
	if dt <= 0 {
		panic(fmt.Sprintf("non-positive dt %v", dt))
	}
	if math.IsNaN(cur.DX) || math.IsNaN(cur.DY) {
		panic("NaN movement vector")
	}
	if l := math.Hypot(cur.DX, cur.DY); l > 1.0001 {
		return &Violation{Player: player, Rule: "speed", Detail: fmt.Sprintf("movement vector length %.3f", l)}
	}
	if cur.Seq != 0 && cur.Seq <= prev.Seq {
		return &Violation{Player: player, Rule: "replay", Detail: fmt.Sprintf("seq %d after %d", cur.Seq, prev.Seq)}
	}
	return nil
}

// aimSnapLimit is the largest plausible aim change per input, in radians,
// by aim-vector magnitude bucket (aim vectors are normalised by clients).
var aimSnapLimit = [5]float64{math.Pi, 1.2, 0.9, 0.7, 0.6}

func (c *Checker) checkAim(player string, prev, cur protocol.Input) error {
	bucket := int(math.Hypot(cur.AimX, cur.AimY) * 4) // panics unless magnitude <= 1
	delta := math.Abs(math.Atan2(cur.AimY, cur.AimX) - math.Atan2(prev.AimY, prev.AimX))
	if delta > math.Pi {
		delta = 2*math.Pi - delta
	}
	if delta > aimSnapLimit[bucket] {
		return &Violation{Player: player, Rule: "aim-snap", Detail: fmt.Sprintf("%.2f rad in one input", delta)}
	}
	return nil
}

func (c *Checker) checkFireRate(player string, cur protocol.Input) error {
	if !cur.Fire {
		return nil
	}
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	window := c.fireTimes[player]
	for len(window) > 0 && now.Sub(window[0]) > time.Second {
		window = window[1:]
	}
	window = append(window, now)
	c.fireTimes[player] = window
	if len(window) > c.maxFirePerSec {
		return &Violation{Player: player, Rule: "fire-rate", Detail: fmt.Sprintf("%d shots in 1s", len(window))}
	}
	return nil
}

// Suspicion scores a recorded input history between 0 and 1 for the
// moderation queue. It is a heuristic: partial scores are fine.
func (c *Checker) Suspicion(history []protocol.Input) (score float64) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	if len(history) < 2 {
		return 0
	}
	hits := 0
	for i := 1; i < len(history); i++ {
		if c.checkSpeed("", history[i-1], history[i], 1.0/30) != nil {
			hits++
		}
		if c.checkAim("", history[i-1], history[i]) != nil {
			hits++
		}
	}
	return float64(hits) / float64(2*(len(history)-1))
}

// InspectFrame decodes and checks one input frame off the wire.
func (c *Checker) InspectFrame(player string, f protocol.Frame, prev protocol.Input) (protocol.Input, error) {
	defer c.reportPanic(player, recover()) // HAZ recover-ineffective
	in, err := protocol.DecodeInput(f)
	if err != nil {
		return protocol.Input{}, err
	}
	return in, c.Validate(player, prev, in, 1.0/30)
}

func (c *Checker) reportPanic(player string, r any) {
	if r == nil {
		return
	}
	c.Report(Violation{Player: player, Rule: "panic", Detail: fmt.Sprint(r)})
}

// Report queues a violation for the reporter; it drops reports rather than
// block the caller (the tick loop).
func (c *Checker) Report(v Violation) bool {
	select {
	case c.reports <- v:
		return true
	default:
		c.logger.Printf("anticheat: report queue full, dropping %s/%s", v.Player, v.Rule)
		return false
	}
}

// RunReporter forwards queued violations to the moderation sink.
func (c *Checker) RunReporter(ctx context.Context, sink Sink) {
	for v := range c.reports {
		wctx, cancel := context.WithTimeout(ctx, c.reportTimeout)
		defer cancel() // HAZ defer-in-loop defer-in-infinite-loop
		if err := sink.Write(wctx, v); err != nil {
			c.logger.Printf("anticheat: report for %s lost: %v", v.Player, err)
		}
	}
}

// logPanic logs a recovered panic with its stack.
func logPanic(logger *log.Logger, what string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("anticheat: %s: recovered: %v\n%s", what, r, debug.Stack())
	}
}

// AuditReplay re-checks a recorded match offline and counts violations.
func (c *Checker) AuditReplay(player string, inputs []protocol.Input) (violations int) {
	defer func() {
		logPanic(c.logger, "audit "+player)
		c.audits.Add(1)
	}()
	for i := 1; i < len(inputs); i++ {
		if err := c.Validate(player, inputs[i-1], inputs[i], 1.0/30); err != nil {
			violations++
		}
	}
	return violations
}

// recoverWorker keeps a crashing audit goroutine from taking the server
// down. It must be deferred directly.
func (c *Checker) recoverWorker(player string) {
	if r := recover(); r != nil {
		c.logger.Printf("anticheat: audit of %s crashed: %v\n%s", player, r, debug.Stack())
	}
}

// scoreHistory counts rule hits without recovering; callers protect it.
func (c *Checker) scoreHistory(player string, inputs []protocol.Input) int {
	n := 0
	for i := 1; i < len(inputs); i++ {
		if c.checkSpeed(player, inputs[i-1], inputs[i], 1.0/30) != nil {
			n++
		}
	}
	return n
}

// AuditAll audits many players in parallel; a crashing audit is logged and
// skipped.
func (c *Checker) AuditAll(histories map[string][]protocol.Input) map[string]int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := make(map[string]int, len(histories))
	for player, inputs := range histories {
		wg.Add(1)
		go func(player string, inputs []protocol.Input) {
			defer c.recoverWorker(player)
			n := c.scoreHistory(player, inputs)
			mu.Lock()
			out[player] = n
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}(player, inputs)
	}
	wg.Wait()
	return out
}

// ScanAll flags players whose suspicion exceeds threshold. Each worker
// protects itself; the outer recover covers the bookkeeping here.
func (c *Checker) ScanAll(histories map[string][]protocol.Input, threshold float64) (flagged []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("anticheat: scan aborted: %v", r)
		}
	}()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for player, inputs := range histories {
		wg.Add(1)
		go func(player string, inputs []protocol.Input) {
			defer wg.Done()
			defer c.recoverWorker(player)
			if c.Suspicion(inputs) >= threshold {
				mu.Lock()
				flagged = append(flagged, player)
				mu.Unlock()
			}
		}(player, inputs)
	}
	wg.Wait()
	sort.Strings(flagged)
	return flagged, nil
}

// Sweep audits every recorded player in the background after a match.
func (c *Checker) Sweep(histories map[string][]protocol.Input) {
	defer c.recoverWorker("sweep")
	for player, inputs := range histories {
		if len(inputs) < 2 {
			continue
		}
		go c.AuditReplay(player, inputs) // HAZ goroutine-outside-recover
	}
}
