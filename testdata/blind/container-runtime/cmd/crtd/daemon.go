package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"example.com/crt/internal/cgroup"
	"example.com/crt/internal/proc"
	"example.com/crt/internal/registry"
	"example.com/crt/internal/state"
	"example.com/crt/internal/supervisor"
)

// daemon ties the registry, the on-disk state and the cgroup manager
// together behind the control socket.
type daemon struct {
	store    *state.Store
	reg      *registry.Registry
	cg       *cgroup.Manager
	events   *state.EventLog
	sup      *supervisor.Supervisor
	log      *log.Logger
	shimPath string
	eventLog string

	mu       sync.Mutex
	cleanups map[string]func()
}

// create registers a new container and prepares its cgroup and state
// directory. Everything done so far is undone when a step fails.
func (d *daemon) create(id, bundle string, labels map[string]string, lim cgroup.Limits) (registry.State, error) {
	ok := false
	rollback := func() {}
	defer rollback() // HAZ defer-eager-evaluation

	c := registry.NewContainer(id, bundle, labels)
	if err := d.reg.Add(c); err != nil {
		return registry.State{}, err
	}
	rollback = func() {
		if !ok {
			d.reg.Remove(id)
		}
	}
	if err := d.cg.Create(id, lim); err != nil {
		return registry.State{}, fmt.Errorf("cgroup of %s: %w", id, err)
	}
	unregister := rollback
	rollback = func() {
		if !ok {
			d.cg.Destroy(id)
		}
		unregister()
	}
	if err := c.Transition(registry.Created); err != nil {
		return registry.State{}, err
	}
	st := c.State()
	if err := d.store.Save(id, st); err != nil {
		return registry.State{}, fmt.Errorf("persist %s: %w", id, err)
	}
	ok = true

	d.mu.Lock()
	d.cleanups[id] = func() {
		if err := d.cg.Destroy(id); err != nil {
			d.log.Printf("destroy cgroup of %s: %v", id, err)
		}
	}
	d.mu.Unlock()
	d.events.Append("create", id, map[string]any{"bundle": bundle})
	return st, nil
}

// start launches the shim of a created container and watches it.
func (d *daemon) start(id string) error {
	c, ok := d.reg.Get(id)
	if !ok {
		return fmt.Errorf("%s: %w", id, registry.ErrNotFound)
	}
	st := c.State()
	if st.Status != registry.Created {
		return fmt.Errorf("container %s is %s, not created", id, st.Status)
	}
	p, err := proc.Start(context.Background(), proc.Spec{
		ID:   id,
		Path: d.shimPath,
		Args: []string{"-id", id, "-bundle", st.Bundle, "-state", d.store.Dir(id)},
	})
	if err != nil {
		return err
	}
	if err := d.cg.AddProc(id, p.Pid()); err != nil {
		p.Stop(5 * time.Second)
		return err
	}
	if err := c.MarkStarted(p.Pid(), d.store); err != nil {
		p.Stop(5 * time.Second)
		return err
	}
	if err := d.reg.SetPid(id, p.Pid()); err != nil {
		d.log.Printf("index pid of %s: %v", id, err)
	}
	d.events.Append("start", id, map[string]any{"pid": p.Pid()})
	go d.watch(c, p)
	return nil
}

// watch records the exit of a container's shim.
func (d *daemon) watch(c *registry.Container, p *proc.Process) {
	err := p.Wait()
	code := proc.ExitCode(err)
	d.reg.ClearPid(p.Pid())
	if err := c.MarkExited(code, d.store); err != nil {
		d.log.Printf("persist exit of %s: %v", c.ID, err)
	}
	d.events.Append("exit", c.ID, map[string]any{"code": code})
}

// resume thaws a paused container; the new state is persisted on the way
// out.
func (d *daemon) resume(id string) error {
	c, ok := d.reg.Get(id)
	if !ok {
		return fmt.Errorf("%s: %w", id, registry.ErrNotFound)
	}
	defer c.State().Save(d.store) // HAZ defer-call-chain
	if err := d.cg.Thaw(id); err != nil {
		return err
	}
	return c.Transition(registry.Running)
}

// recoverLog is deferred by daemon code that must survive a panic.
func (d *daemon) recoverLog(what string) {
	if r := recover(); r != nil {
		d.log.Printf("%s: panic: %v", what, r)
	}
}

// broadcast relays sig to the shim of every running container, e.g.
// SIGHUP after the operator rotated the log directory.
func (d *daemon) broadcast(sig syscall.Signal) {
	defer d.recoverLog("broadcast")
	for _, st := range d.reg.States() {
		if st.Pid == 0 {
			continue
		}
		go func() { // HAZ goroutine-outside-recover
			if err := d.kill(st.ID, sig); err != nil {
				d.log.Printf("broadcast %v to %s: %v", sig, st.ID, err)
			}
		}()
	}
}

// releaseAll tears down the cgroups of the given containers in parallel
// and waits for all of them.
func (d *daemon) releaseAll(ids []string) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer d.recoverLog("release " + id)
			if err := d.cg.Release(id); err != nil {
				d.log.Printf("release %s: %v", id, err)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// kill delivers sig to the container's shim, which relays it.
func (d *daemon) kill(id string, sig syscall.Signal) error {
	c, ok := d.reg.Get(id)
	if !ok {
		return fmt.Errorf("%s: %w", id, registry.ErrNotFound)
	}
	pid := c.Pid()
	if pid == 0 {
		return fmt.Errorf("container %s is not running", id)
	}
	if err := syscall.Kill(pid, sig); err != nil {
		return fmt.Errorf("signal %d to %s: %w", sig, id, err)
	}
	return d.events.Append("kill", id, map[string]any{"signal": int(sig)})
}

// remove deletes a stopped container and everything kept for it.
func (d *daemon) remove(id string) error {
	c, ok := d.reg.Get(id)
	if !ok {
		return fmt.Errorf("%s: %w", id, registry.ErrNotFound)
	}
	if st := c.Status(); st == registry.Running || st == registry.Paused {
		return fmt.Errorf("container %s is %s", id, st)
	}
	d.mu.Lock()
	cleanup := d.cleanups[id]
	delete(d.cleanups, id)
	d.mu.Unlock()
	defer cleanup() // HAZ defer-nil-func

	if _, err := d.reg.Remove(id); err != nil {
		return err
	}
	d.events.Append("delete", id, nil)
	return d.store.Delete(id)
}

// forget drops the in-memory bookkeeping of a container whose state was
// garbage-collected, running its cleanup if it has one.
func (d *daemon) forget(id string) {
	d.mu.Lock()
	cleanup, ok := d.cleanups[id]
	delete(d.cleanups, id)
	d.mu.Unlock()
	if ok {
		defer cleanup()
	}
	d.reg.Remove(id)
	d.log.Printf("forgot container %s", id)
}

// restore rebuilds the registry from the state directory after a daemon
// restart.
func (d *daemon) restore() (int, error) {
	defer d.timed("restore") // HAZ defer-func-result-not-called
	docs, err := d.store.LoadAll()
	if err != nil {
		return 0, err
	}
	loaded := registry.New()
	for id, raw := range docs {
		var st registry.State
		if err := json.Unmarshal(raw, &st); err != nil {
			d.log.Printf("skip %s: %v", id, err)
			continue
		}
		if st.Status == registry.Running && !state.PIDAlive(st.Pid) {
			st.Status, st.Pid = registry.Stopped, 0
		}
		if err := loaded.Add(registry.FromState(st)); err != nil {
			d.log.Printf("skip %s: %v", id, err)
		}
	}
	return d.reg.MergeFrom(loaded), nil
}

// compact compresses the rotated event log and records when it finished.
func (d *daemon) compact() error {
	defer d.events.Append("compacted", "", map[string]any{"finished": time.Now()}) // HAZ defer-eager-evaluation
	if err := state.CompressRotated(d.eventLog); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// timed starts timing op; the returned func logs the duration.
func (d *daemon) timed(op string) func() {
	start := time.Now()
	return func() { d.log.Printf("%s took %s", op, time.Since(start)) }
}

// audit records the outcome of an operator action in the event log.
func (d *daemon) audit(op, id string, err error) {
	fields := map[string]any{"op": op, "ok": err == nil}
	if err != nil {
		fields["error"] = err.Error()
	}
	if aerr := d.events.Append("audit", id, fields); aerr != nil {
		d.log.Printf("audit %s %s: %v", op, id, aerr)
	}
}

// deleteAudited is "delete" as invoked over the control socket.
func (d *daemon) deleteAudited(id string) error {
	var err error
	defer d.audit("delete", id, err) // HAZ defer-eager-evaluation
	err = d.remove(id)
	return err
}

// startAll starts the given containers in parallel and reports the first
// failure.
func (d *daemon) startAll(ids []string) error {
	errs := make(chan error, len(ids))
	defer close(errs) // HAZ defer-close-chan-with-sender
	for _, id := range ids {
		go func() { errs <- d.start(id) }()
	}
	for range ids {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// stopAll sends SIGTERM to every running container and waits until each
// one has been signalled.
func (d *daemon) stopAll() {
	var wg sync.WaitGroup
	for _, st := range d.reg.States() {
		if st.Status != registry.Running {
			continue
		}
		wg.Add(1)
		go func() {
			if err := d.kill(st.ID, syscall.SIGTERM); err != nil {
				d.log.Printf("stop %s: %v", st.ID, err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// consumeLifecycle drains the supervisor's lifecycle events into the
// event log until ctx is done.
func (d *daemon) consumeLifecycle(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-d.sup.Lifecycle():
			d.events.Append("service-"+ev.Kind, ev.Name, nil)
		}
	}
}

// logPath returns the path of a container's combined output log.
func (d *daemon) logPath(id string) string {
	return filepath.Join(d.store.Dir(id), "logs", "output.log")
}
