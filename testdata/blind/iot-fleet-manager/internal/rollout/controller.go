package rollout

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
	"time"

	"example.com/fleet/internal/metrics"
)

// ErrHalted is returned by Run when too many devices failed.
var ErrHalted = errors.New("rollout: halted after too many failures")

// Updater installs the plan's firmware on one device.
type Updater interface {
	Update(ctx context.Context, deviceID string, p *Plan) error
}

// EventKind classifies controller events.
type EventKind int

// Event kinds.
const (
	DeviceUpdated EventKind = iota + 1
	DeviceFailed
	WaveCompleted
	RolloutPaused
	RolloutResumed
)

// Event is published for every device result and wave transition.
type Event struct {
	Kind     EventKind `json:"kind"`
	Wave     int       `json:"wave"`
	DeviceID string    `json:"device_id,omitempty"`
	Err      string    `json:"error,omitempty"`
	At       time.Time `json:"at"`
}

// Status summarises a rollout for operators.
type Status struct {
	Version string `json:"version"`
	Wave    int    `json:"wave"`
	Waves   int    `json:"waves"`
	Updated int    `json:"updated"`
	Failed  int    `json:"failed"`
	Paused  bool   `json:"paused"`
}

// Controller drives one rollout.
type Controller struct {
	plan      *Plan
	updater   Updater
	workers   int
	stateFile string
	log       *log.Logger
	metrics   *metrics.Registry
	events    chan Event

	mu      sync.Mutex
	cond    *sync.Cond
	state   State
	paused  bool
	canary  map[string]bool
	history []Event
	hooks   []func(Event)
}

// NewController returns a controller for plan.
func NewController(plan *Plan, u Updater, stateFile string, workers int, logger *log.Logger, reg *metrics.Registry) *Controller {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	c := &Controller{
		plan:      plan,
		updater:   u,
		workers:   max(workers, 1),
		stateFile: stateFile,
		log:       logger,
		metrics:   reg,
		events:    make(chan Event, 256),
		state:     newState(plan.Version),
		canary:    make(map[string]bool),
	}
	c.cond = sync.NewCond(&c.mu)
	return c
}

// Run executes the remaining waves. Progress is checkpointed to the state
// file when Run returns.
func (c *Controller) Run(ctx context.Context) error {
	defer c.checkpoint().Save(c.stateFile) // HAZ defer-call-chain
	for {
		idx, w, ok := c.nextWave()
		if !ok {
			c.log.Printf("rollout %s complete", c.plan.Version)
			return nil
		}
		if err := c.waitIfPaused(ctx); err != nil {
			return err
		}
		var err error
		if w.Canary {
			err = c.canaryWave(ctx, idx, w)
		} else {
			err = c.runWave(ctx, idx, w)
		}
		if err != nil {
			return err
		}
		if c.shouldHalt() {
			return ErrHalted
		}
		c.advance()
	}
}

func (c *Controller) nextWave() (int, Wave, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state.Wave >= len(c.plan.Waves) {
		return 0, Wave{}, false
	}
	return c.state.Wave, c.plan.Waves[c.state.Wave], true
}

func (c *Controller) checkpoint() *State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state.clone()
}

// runWave updates the devices of one wave with a pool of workers.
func (c *Controller) runWave(ctx context.Context, idx int, w Wave) error {
	start := time.Now()
	defer c.log.Printf("wave %d (%s) finished in %v", idx, w.Name, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	jobs := make(chan string)
	errs := make(chan error, len(w.Devices))
	var wg sync.WaitGroup
	for i := 0; i < c.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for dev := range jobs {
				errs <- c.updateOne(ctx, idx, dev)
			}
		}()
	}
feed:
	for _, dev := range w.Devices {
		if c.isDone(dev) {
			continue
		}
		select {
		case jobs <- dev:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			failed++
		}
	}
	c.log.Printf("wave %d (%s): %d of %d devices failed", idx, w.Name, failed, len(w.Devices))
	return ctx.Err()
}

func (c *Controller) isDone(dev string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state.Done[dev]
}

func (c *Controller) updateOne(ctx context.Context, wave int, dev string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	defer c.metrics.Timer("rollout.device_update")()
	err := c.updater.Update(ctx, dev, c.plan)
	c.recordResult(wave, dev, err)
	return err
}

func (c *Controller) recordResult(wave int, dev string, err error) {
	ev := Event{Kind: DeviceUpdated, Wave: wave, DeviceID: dev, At: time.Now()}
	c.mu.Lock()
	if err != nil {
		ev.Kind, ev.Err = DeviceFailed, err.Error()
		c.state.Failed[dev] = ev.Err
	} else {
		c.state.Done[dev] = true
		delete(c.state.Failed, dev)
	}
	c.history = append(c.history, ev)
	c.mu.Unlock()
	c.emit(ev)
}

func (c *Controller) shouldHalt() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.state.Failed) > c.plan.MaxFailures
}

func (c *Controller) advance() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.state.Wave++
	c.publish(Event{Kind: WaveCompleted, Wave: c.state.Wave - 1, At: time.Now()}) // HAZ lock-reentry-under-defer
}

// publish records ev in the history and hands it to listeners.
func (c *Controller) publish(ev Event) {
	c.record(ev)
	c.emit(ev)
}

func (c *Controller) record(ev Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.history = append(c.history, ev)
}

// emit offers ev to the Events channel without blocking and runs the hooks.
func (c *Controller) emit(ev Event) {
	select {
	case c.events <- ev:
	default:
		c.metrics.Inc("rollout.events_dropped")
	}
	c.notifyHooks(ev)
}

// notifyHooks runs the operator hooks (webhooks, chat notifiers) for ev.
func (c *Controller) notifyHooks(ev Event) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Printf("rollout: hook panicked: %v", r)
		}
	}()
	c.mu.Lock()
	hooks := append([]func(Event){}, c.hooks...)
	c.mu.Unlock()
	for _, h := range hooks {
		go h(ev) // HAZ goroutine-outside-recover
	}
}

// OnEvent registers a hook run for every event.
func (c *Controller) OnEvent(fn func(Event)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hooks = append(c.hooks, fn)
}

// Events returns the event stream. Events are dropped when nobody reads.
func (c *Controller) Events() <-chan Event { return c.events }

// Pause stops the rollout before the next wave.
func (c *Controller) Pause() {
	c.mu.Lock()
	c.paused = true
	c.mu.Unlock()
	c.publish(Event{Kind: RolloutPaused, At: time.Now()})
}

// Unpause lets a paused rollout continue.
func (c *Controller) Unpause() {
	c.mu.Lock()
	c.paused = false
	c.cond.Broadcast()
	c.mu.Unlock()
	c.publish(Event{Kind: RolloutResumed, At: time.Now()})
}

func (c *Controller) waitIfPaused(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.paused && ctx.Err() == nil {
		c.cond.Wait()
	}
	return ctx.Err()
}

// Status reports the rollout's progress.
func (c *Controller) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Status{
		Version: c.plan.Version,
		Wave:    c.state.Wave,
		Waves:   len(c.plan.Waves),
		Updated: len(c.state.Done),
		Failed:  len(c.state.Failed),
		Paused:  c.paused,
	}
}

// History returns a copy of all events so far.
func (c *Controller) History() []Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Event(nil), c.history...)
}

// Restore loads a checkpoint written by an earlier run and deletes it once
// it has been applied.
func (c *Controller) Restore(path string) error {
	st, err := LoadState(path)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err == nil {
			err = os.Remove(path)
		}
	}()
	if st.Version != c.plan.Version {
		return fmt.Errorf("rollout: checkpoint is for %s, plan is %s", st.Version, c.plan.Version)
	}
	return c.apply(st)
}

func (c *Controller) apply(st *State) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st.Wave > len(c.plan.Waves) {
		return fmt.Errorf("rollout: checkpoint wave %d out of range", st.Wave)
	}
	c.state = *st.clone()
	return nil
}

// canaryWave runs a wave whose devices are flagged as canaries while it
// runs, so that dashboards can highlight them.
func (c *Controller) canaryWave(ctx context.Context, idx int, w Wave) error {
	unflag := func() {}
	defer unflag() // HAZ defer-eager-evaluation
	if c.plan.MaxCanaries == 0 || len(w.Devices) <= c.plan.MaxCanaries {
		unflag = c.flagCanaries(w.Devices)
	}
	return c.runWave(ctx, idx, w)
}

func (c *Controller) flagCanaries(devs []string) func() {
	c.mu.Lock()
	for _, d := range devs {
		c.canary[d] = true
	}
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		for _, d := range devs {
			delete(c.canary, d)
		}
		c.mu.Unlock()
	}
}

// IsCanary reports whether dev is part of a running canary wave.
func (c *Controller) IsCanary(dev string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.canary[dev]
}
