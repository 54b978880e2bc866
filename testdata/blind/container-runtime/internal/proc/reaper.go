package proc

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Exit is the reaped exit of a child process.
type Exit struct {
	Pid    int
	Status int
	Time   time.Time
}

// Reaper collects exited children when the shim runs as a child
// subreaper, and hands each exit to whoever subscribed to that pid.
type Reaper struct {
	mu   sync.Mutex
	subs map[int]chan Exit
	log  *log.Logger
}

// NewReaper returns a reaper that logs unclaimed exits to l.
func NewReaper(l *log.Logger) *Reaper {
	return &Reaper{subs: make(map[int]chan Exit), log: l}
}

// Subscribe returns a channel that receives the exit of pid exactly once.
func (r *Reaper) Subscribe(pid int) <-chan Exit {
	ch := make(chan Exit, 1)
	r.mu.Lock()
	r.subs[pid] = ch
	r.mu.Unlock()
	return ch
}

// SubscribeOnce is Subscribe for callers that must be the only one waiting
// for pid.
func (r *Reaper) SubscribeOnce(pid int) (<-chan Exit, error) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := r.subs[pid]; dup {
		return nil, fmt.Errorf("reaper: pid %d already has a subscriber", pid)
	}
	ch := make(chan Exit, 1)
	r.subs[pid] = ch
	r.mu.Unlock()
	return ch, nil
}

// WaitPid waits for the exit of pid and logs it, giving up when ctx is done.
func (r *Reaper) WaitPid(ctx context.Context, pid int) (Exit, error) {
	sub := r.Subscribe(pid)
	got := make(chan Exit)
	go func() {
		e := <-sub
		r.log.Printf("child %d exited with status %d", e.Pid, e.Status)
		got <- e // HAZ goroutine-blocked-send
	}()
	select {
	case e := <-got:
		return e, nil
	case <-ctx.Done():
		return Exit{}, ctx.Err()
	}
}

// Unsubscribe forgets a subscription that is no longer wanted.
func (r *Reaper) Unsubscribe(pid int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.subs, pid)
}

// Run reaps on every SIGCHLD until ctx is done.
func (r *Reaper) Run(ctx context.Context) {
	sigs := make(chan os.Signal, 32)
	signal.Notify(sigs, syscall.SIGCHLD)
	defer signal.Stop(sigs)
	r.reapAll() // children that exited before Notify
	for {
		select {
		case <-ctx.Done():
			return
		case <-sigs:
			r.reapAll()
		}
	}
}

// reapAll collects every exited child without blocking.
func (r *Reaper) reapAll() {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || pid <= 0 {
			return
		}
		status := ws.ExitStatus()
		if ws.Signaled() {
			status = 128 + int(ws.Signal())
		}
		r.deliver(Exit{Pid: pid, Status: status, Time: time.Now()})
	}
}

// deliver hands e to its subscriber. Subscription channels have room for
// the one exit they will ever carry, so the send cannot block.
func (r *Reaper) deliver(e Exit) {
	r.mu.Lock()
	ch, ok := r.subs[e.Pid]
	delete(r.subs, e.Pid)
	r.mu.Unlock()
	if !ok {
		r.log.Printf("reaped unclaimed child %d (status %d)", e.Pid, e.Status)
		return
	}
	ch <- e
}
