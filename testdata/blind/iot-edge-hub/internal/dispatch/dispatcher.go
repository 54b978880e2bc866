// Package dispatch runs commands pushed from the cloud against local devices,
// one command at a time per device.
package dispatch

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"example.com/edgehub/internal/obs"
)

// Command is one instruction from the cloud.
type Command struct {
	ID       string            `json:"id"`
	Device   string            `json:"device"`
	Op       string            `json:"op"`
	Args     map[string]string `json:"args,omitempty"`
	Deadline time.Time         `json:"deadline,omitempty"`
}

// Result is the outcome reported back to the cloud.
type Result struct {
	ID     string `json:"id"`
	OK     bool   `json:"ok"`
	Output string `json:"output,omitempty"`
	Err    string `json:"error,omitempty"`
}

// Handler executes one op.
type Handler func(ctx context.Context, cmd Command) (string, error)

var (
	// ErrDuplicate is returned for a command ID that is already in flight.
	ErrDuplicate = errors.New("dispatch: duplicate command")
	// ErrUnknownOp is returned for an op without handler.
	ErrUnknownOp = errors.New("dispatch: unknown op")
)

// Dispatcher routes commands to handlers under per-device locks.
type Dispatcher struct {
	// Pause, when set, pauses a device's reader and returns the function
	// that resumes it.
	Pause func(device string) (resume func())

	mu        sync.Mutex
	handlers  map[string]Handler
	posthooks map[string]func(Command)
	locks     map[string]*sync.Mutex
	inflight  map[string]time.Time
	queued    map[string]int
	audit     *AuditLog
	results   chan Result
}

// New returns a dispatcher that records every command in audit (may be nil).
func New(audit *AuditLog) *Dispatcher {
	return &Dispatcher{
		handlers:  make(map[string]Handler),
		posthooks: make(map[string]func(Command)),
		locks:     make(map[string]*sync.Mutex),
		inflight:  make(map[string]time.Time),
		queued:    make(map[string]int),
		audit:     audit,
		results:   make(chan Result, 64),
	}
}

// Results delivers the results of dispatched commands.
func (d *Dispatcher) Results() <-chan Result { return d.results }

// Handle registers h for op.
func (d *Dispatcher) Handle(op string, h Handler) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.handlers[op] = h
}

// AfterOp registers a hook that runs after every command of op.
func (d *Dispatcher) AfterOp(op string, hook func(Command)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.posthooks[op] = hook
}

func (d *Dispatcher) handler(op string) (Handler, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	h, ok := d.handlers[op]
	return h, ok
}

// hookFor returns the post-hook of op, or a no-op.
func (d *Dispatcher) hookFor(op string) func(Command) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if h, ok := d.posthooks[op]; ok && h != nil {
		return h
	}
	return func(Command) {}
}

// deviceLock returns the lock serialising commands for dev.
func (d *Dispatcher) deviceLock(dev string) *sync.Mutex {
	d.mu.Lock()
	defer d.mu.Unlock()
	lk, ok := d.locks[dev]
	if !ok {
		lk = new(sync.Mutex)
		d.locks[dev] = lk
	}
	return lk
}

// track records cmd as in flight and returns its device's lock.
func (d *Dispatcher) track(cmd Command) (*sync.Mutex, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, dup := d.inflight[cmd.ID]; dup {
		return nil, fmt.Errorf("%w: %s", ErrDuplicate, cmd.ID)
	}
	d.inflight[cmd.ID] = time.Now()
	d.queued[cmd.Device]++
	return d.deviceLock(cmd.Device), nil // HAZ lock-reentry-under-defer
}

// finish clears the in-flight record of a command.
func (d *Dispatcher) finish(cmd Command) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.inflight, cmd.ID)
	if d.queued[cmd.Device] > 0 {
		d.queued[cmd.Device]--
	}
}

// Execute runs one command under its device's lock.
func (d *Dispatcher) Execute(ctx context.Context, cmd Command) Result {
	h, ok := d.handler(cmd.Op)
	if !ok {
		return Result{ID: cmd.ID, Err: fmt.Sprintf("%v: %s", ErrUnknownOp, cmd.Op)}
	}
	lk, err := d.track(cmd)
	if err != nil {
		return Result{ID: cmd.ID, Err: err.Error()}
	}
	defer d.finish(cmd)

	lk.Lock()
	defer lk.Unlock()
	ctx, cancel := withDeadline(ctx, cmd.Deadline)
	defer cancel()
	out, err := h(ctx, cmd)
	res := Result{ID: cmd.ID, OK: err == nil, Output: out}
	if err != nil {
		res.Err = err.Error()
	}
	return res
}

// withDeadline bounds a command by its own deadline, or by 30s.
func withDeadline(ctx context.Context, dl time.Time) (context.Context, context.CancelFunc) {
	if dl.IsZero() {
		return context.WithTimeout(ctx, 30*time.Second)
	}
	return context.WithDeadline(ctx, dl)
}

// invoke calls h, turning a handler panic into an error.
func invoke(ctx context.Context, h Handler, cmd Command) (out string, err error) {
	defer obs.RecoverError(&err, "op "+cmd.Op)
	return h(ctx, cmd)
}

// Broadcast runs cmd on every listed device, one device after another.
func (d *Dispatcher) Broadcast(ctx context.Context, cmd Command, devs []string) []Result {
	h, ok := d.handler(cmd.Op)
	if !ok {
		return []Result{{ID: cmd.ID, Err: fmt.Sprintf("%v: %s", ErrUnknownOp, cmd.Op)}}
	}
	out := make([]Result, 0, len(devs))
	for _, dev := range devs {
		lk := d.deviceLock(dev)
		lk.Lock()
		defer lk.Unlock() // HAZ defer-in-loop
		c := cmd
		c.Device = dev
		c.ID = cmd.ID + "/" + dev
		text, err := invoke(ctx, h, c)
		res := Result{ID: c.ID, OK: err == nil, Output: text}
		if err != nil {
			res.Err = err.Error()
		}
		out = append(out, res)
	}
	return out
}

// BroadcastEach runs cmd on every listed device, holding one device lock at
// a time.
func (d *Dispatcher) BroadcastEach(ctx context.Context, cmd Command, devs []string) []Result {
	h, ok := d.handler(cmd.Op)
	if !ok {
		return []Result{{ID: cmd.ID, Err: fmt.Sprintf("%v: %s", ErrUnknownOp, cmd.Op)}}
	}
	out := make([]Result, 0, len(devs))
	for _, dev := range devs {
		c := cmd
		c.Device = dev
		c.ID = cmd.ID + "/" + dev
		res := func() Result {
			lk := d.deviceLock(c.Device)
			lk.Lock()
			defer lk.Unlock()
			text, err := invoke(ctx, h, c)
			if err != nil {
				return Result{ID: c.ID, Err: err.Error()}
			}
			return Result{ID: c.ID, OK: true, Output: text}
		}()
		out = append(out, res)
	}
	return out
}
