package dispatch

import (
	"context"
	"errors"
	"fmt"
	"log"
	"slices"
	"sync"
	"time"

	"example.com/up11/internal/metrics"
)

// ErrUnknown is returned for a command name not in the table.
var ErrUnknown = errors.New("unknown command")

// Command is one entry of the dispatch table.
type Command struct {
	Name    string
	Help    string
	Run     func(ctx context.Context, args []string) error
	Cleanup func()
	Timeout time.Duration
}

// Table dispatches commands by name.
type Table struct {
	cmds     map[string]Command
	order    []string
	tr       *metrics.Tracer
	log      *log.Logger
	counters *metrics.Counters[string]
	pub      metrics.Publisher[string]
	auditLog []string
	auditMu  sync.Mutex
}

// NewTable builds a table from cmds.
func NewTable(tr *metrics.Tracer, logger *log.Logger, pub metrics.Publisher[string], cmds ...Command) *Table {
	t := &Table{
		cmds:     make(map[string]Command, len(cmds)),
		tr:       tr,
		log:      logger,
		counters: metrics.NewCounters[string](),
		pub:      pub,
	}
	for _, c := range cmds {
		t.cmds[c.Name] = c
		t.order = append(t.order, c.Name)
	}
	slices.Sort(t.order)
	return t
}

// Names lists the commands in order.
func (t *Table) Names() []string { return slices.Clone(t.order) }

// Lookup returns the named command.
func (t *Table) Lookup(name string) (Command, error) {
	c, ok := t.cmds[name]
	if !ok {
		return Command{}, fmt.Errorf("dispatch: %q: %w", name, ErrUnknown)
	}
	return c, nil
}

// Exec runs the named command and its cleanup.
func (t *Table) Exec(ctx context.Context, name string, args []string) error {
	cmd, err := t.Lookup(name)
	if err != nil {
		return fmt.Errorf("exec: %w", err)
	}
	defer cmd.Cleanup() // HAZ defer-nil-func
	if cmd.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cmd.Timeout)
		defer cancel()
	}
	if err := cmd.Run(ctx, args); err != nil {
		return fmt.Errorf("exec %s: %w", name, err)
	}
	return nil
}

// Run is Exec with the cleanup deferred only when the entry has one, and
// the span ended through the phase factory's closure.
func (t *Table) Run(ctx context.Context, name string, args []string) error {
	cmd, err := t.Lookup(name)
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	if cmd.Cleanup != nil {
		defer cmd.Cleanup()
	}
	defer t.tr.Phase("cmd")(name)()
	if err := cmd.Run(ctx, args); err != nil {
		return fmt.Errorf("run %s: %w", name, err)
	}
	return nil
}

// ExecTraced runs the command inside a span named cmd/<name>.
func (t *Table) ExecTraced(ctx context.Context, name string, args []string) error {
	step := t.tr.Phase("cmd")
	defer step(name) // HAZ defer-func-result-not-called
	cmd, err := t.Lookup(name)
	if err != nil {
		return fmt.Errorf("traced: %w", err)
	}
	return cmd.Run(ctx, args)
}

func (t *Table) audit(name string, err error) {
	t.auditMu.Lock()
	defer t.auditMu.Unlock()
	status := "ok"
	if err != nil {
		status = err.Error()
	}
	t.auditLog = append(t.auditLog, name+": "+status)
}

// ExecAudited runs the command and appends its outcome to the audit log.
func (t *Table) ExecAudited(ctx context.Context, name string, args []string) error {
	var err error
	defer t.audit(name, err) // HAZ defer-eager-evaluation
	cmd, err := t.Lookup(name)
	if err != nil {
		return fmt.Errorf("audited: %w", err)
	}
	err = cmd.Run(ctx, args)
	if err != nil {
		return fmt.Errorf("audited %s: %w", name, err)
	}
	return nil
}

// ExecRecorded is ExecAudited with a named result read by the deferred
// literal at exit.
func (t *Table) ExecRecorded(ctx context.Context, name string, args []string) (err error) {
	defer func() { t.audit(name, err) }()
	cmd, err := t.Lookup(name)
	if err != nil {
		return fmt.Errorf("recorded: %w", err)
	}
	if err := cmd.Run(ctx, args); err != nil {
		return fmt.Errorf("recorded %s: %w", name, err)
	}
	return nil
}

// logPanic reports a panic in the named command.
func (t *Table) logPanic(name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		t.log.Printf("command %s panicked: %v", name, r)
		t.counters.Add("panics", 1)
	}
}

// ExecSafe runs the command and is meant to log, not crash, on a panic.
func (t *Table) ExecSafe(ctx context.Context, name string, args []string) error {
	defer func() {
		t.logPanic(name)
		t.counters.Add("runs", 1)
	}()
	cmd, err := t.Lookup(name)
	if err != nil {
		return fmt.Errorf("safe: %w", err)
	}
	return cmd.Run(ctx, args)
}

// ExecGuarded is ExecSafe with the recovering helper deferred directly.
func (t *Table) ExecGuarded(ctx context.Context, name string, args []string) (err error) {
	defer Recover(&err)
	cmd, err := t.Lookup(name)
	if err != nil {
		return fmt.Errorf("guarded: %w", err)
	}
	return cmd.Run(ctx, args)
}

// Broadcast runs every command concurrently with the same arguments.
func (t *Table) Broadcast(ctx context.Context, args []string) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(t.order))
	for _, name := range t.order {
		cmd := t.cmds[name]
		wg.Add(1)
		go func() {
			defer wg.Done()
			if cmd.Run == nil {
				t.log.Printf("broadcast: %s has no Run, skipped", name)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			if err := cmd.Run(ctx, args); err != nil {
				errs <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// RunBatch runs each named command once and publishes the run counters.
func (t *Table) RunBatch(ctx context.Context, names []string) error {
	defer t.counters.Snapshot().Publish(t.pub) // HAZ defer-call-chain
	for _, n := range names {
		if err := t.Run(ctx, n, nil); err != nil {
			t.counters.Add("failed", 1)
			return fmt.Errorf("batch: %w", err)
		}
		t.counters.Add("ok", 1)
	}
	return nil
}

// RunBatchPublished takes the snapshot at exit, inside the literal.
func (t *Table) RunBatchPublished(ctx context.Context, names []string) error {
	defer func() { t.counters.Snapshot().Publish(t.pub) }()
	for _, n := range names {
		if err := t.Run(ctx, n, nil); err != nil {
			t.counters.Add("failed", 1)
			return fmt.Errorf("batch: %w", err)
		}
		t.counters.Add("ok", 1)
	}
	return nil
}
