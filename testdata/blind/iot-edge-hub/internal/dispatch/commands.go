package dispatch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"example.com/edgehub/internal/obs"
)

// ResetDevice clears a device's queued commands; used by the cloud's "reset"
// op. Unless force is set it refuses while a command is running.
func (d *Dispatcher) ResetDevice(dev string, force bool) error {
	lk := d.deviceLock(dev)
	lk.Lock() // HAZ lock-leaked-on-return
	if d.isBusy(dev) && !force {
		return fmt.Errorf("dispatch: device %s busy", dev)
	}
	d.clearQueued(dev)
	lk.Unlock()
	return nil
}

func (d *Dispatcher) isBusy(dev string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.queued[dev] > 0
}

func (d *Dispatcher) clearQueued(dev string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.queued, dev)
}

// Pending returns the number of queued commands per device.
func (d *Dispatcher) Pending() map[string]int {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[string]int, len(d.queued))
	for dev, n := range d.queued {
		out[dev] = n
	}
	return out
}

// RunHooked executes cmd and then the op's post-hook, e.g. re-reading the
// device's properties after "set".
func (d *Dispatcher) RunHooked(ctx context.Context, cmd Command) Result {
	d.mu.Lock()
	hook := d.posthooks[cmd.Op]
	d.mu.Unlock()
	defer hook(cmd) // HAZ defer-nil-func
	return d.Execute(ctx, cmd)
}

// exclusive pauses dev's reader and returns the function that resumes it.
func (d *Dispatcher) exclusive(dev string) func() {
	if d.Pause == nil {
		return func() {}
	}
	if resume := d.Pause(dev); resume != nil {
		return resume
	}
	return func() {}
}

// Reboot power-cycles dev through its control line w and waits for it to
// come back.
func (d *Dispatcher) Reboot(ctx context.Context, dev string, w io.Writer) error {
	defer d.exclusive(dev) // HAZ defer-func-result-not-called
	if _, err := io.WriteString(w, "AT+RST\r\n"); err != nil {
		return fmt.Errorf("reboot %s: %w", dev, err)
	}
	select {
	case <-time.After(2 * time.Second):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Maintenance runs a sequence of commands on dev with its reader paused.
func (d *Dispatcher) Maintenance(ctx context.Context, dev string, steps []Command) []Result {
	defer d.exclusive(dev)()
	out := make([]Result, 0, len(steps))
	for _, c := range steps {
		c.Device = dev
		out = append(out, d.Execute(ctx, c))
	}
	return out
}

// Audited executes cmd and appends it to the audit log; the error reports a
// failed command or a failed audit write.
func (d *Dispatcher) Audited(ctx context.Context, cmd Command) error {
	res := d.Execute(ctx, cmd)
	var err error
	if !res.OK {
		err = errors.New(res.Err)
	}
	defer func() { // HAZ defer-ineffective-return
		if aerr := d.audit.Append(cmd, res); aerr != nil {
			err = fmt.Errorf("audit %s: %w", cmd.ID, aerr)
		}
	}()
	return err
}

// AuditedStrict executes cmd and appends it to the audit log, reporting a
// failure of either.
func (d *Dispatcher) AuditedStrict(ctx context.Context, cmd Command) (err error) {
	res := d.Execute(ctx, cmd)
	if !res.OK {
		err = errors.New(res.Err)
	}
	defer func() {
		if aerr := d.audit.Append(cmd, res); aerr != nil {
			err = errors.Join(err, fmt.Errorf("audit %s: %w", cmd.ID, aerr))
		}
	}()
	return err
}

// Dispatch decodes one frame from the cloud and starts its commands. A
// malformed frame must not take the hub down.
func (d *Dispatcher) Dispatch(ctx context.Context, frame []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("dispatch: malformed frame: %v", r)
		}
	}()
	cmds, err := decodeFrame(frame)
	if err != nil {
		return err
	}
	for _, cmd := range cmds {
		go d.deliver(ctx, cmd) // HAZ goroutine-outside-recover
	}
	return nil
}

// decodeFrame parses a JSON array of commands.
func decodeFrame(frame []byte) ([]Command, error) {
	var cmds []Command
	if err := json.Unmarshal(frame, &cmds); err != nil {
		return nil, fmt.Errorf("dispatch: %w", err)
	}
	for i, c := range cmds {
		if c.ID == "" || c.Op == "" {
			return nil, fmt.Errorf("dispatch: command %d lacks id or op", i)
		}
	}
	return cmds, nil
}

// deliver executes cmd and queues its result for the uplink.
func (d *Dispatcher) deliver(ctx context.Context, cmd Command) {
	defer d.hookFor(cmd.Op)(cmd)
	res := d.Execute(ctx, cmd)
	select {
	case d.results <- res:
	case <-ctx.Done():
	}
}

// RunQueue executes commands from in until ctx ends or in is closed. Each
// command runs in its own goroutine, which recovers its own panics.
func (d *Dispatcher) RunQueue(ctx context.Context, in <-chan Command) {
	defer obs.LogPanic("dispatch queue")
	for {
		select {
		case <-ctx.Done():
			return
		case cmd, ok := <-in:
			if !ok {
				return
			}
			go func(cmd Command) {
				defer obs.LogPanic("command " + cmd.ID)
				d.deliver(ctx, cmd)
			}(cmd)
		}
	}
}
