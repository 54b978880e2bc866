// Package obs is a tiny tracing/metrics layer plus functions that use it
// with the usual defer idioms.
package obs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// SpanRecord is a finished span.
type SpanRecord struct {
	Name     string
	Duration time.Duration
	Err      error
}

// Hooks are optional lifecycle callbacks.
type Hooks struct {
	OnStart func(name string)
	OnStop  func()
}

// Tracer records spans. Like OpenTelemetry's batch processor, recording
// never blocks the caller: records go to a bounded queue and are dropped
// (and counted) when it is full.
type Tracer struct {
	logger   *log.Logger
	queue    chan SpanRecord
	dropped  atomic.Int64
	hooks    map[string]func()
	cfg      Hooks
	level    atomic.Int64
	lastErr  atomic.Value // holds errBox
	inflight atomic.Int64

	mu    sync.Mutex // guards spans
	spans []SpanRecord
}

type errBox struct{ err error }

// NewTracer returns a tracer writing to logger.
func NewTracer(logger *log.Logger, hooks map[string]func(), cfg Hooks) *Tracer {
	return &Tracer{logger: logger, queue: make(chan SpanRecord, 4096), hooks: hooks, cfg: cfg}
}

// Drain returns the records queued so far without blocking.
func (t *Tracer) Drain() []SpanRecord {
	var out []SpanRecord
	for {
		select {
		case rec := <-t.queue:
			out = append(out, rec)
		default:
			return out
		}
	}
}

// Span is an in-progress operation.
type Span struct {
	t     *Tracer
	name  string
	start time.Time
}

type spanKey struct{}

// Start begins a span and stores it in the returned context.
func (t *Tracer) Start(ctx context.Context, name string) (context.Context, *Span) {
	s := &Span{t: t, name: name, start: time.Now()}
	return context.WithValue(ctx, spanKey{}, s), s
}

// SpanFrom returns the span stored in ctx, or a detached one.
func SpanFrom(ctx context.Context, t *Tracer) *Span {
	if s, ok := ctx.Value(spanKey{}).(*Span); ok {
		return s
	}
	return &Span{t: t, name: "detached", start: time.Now()}
}

// Finish records the span with its outcome.
func (s *Span) Finish(err error) {
	s.t.record(SpanRecord{Name: s.name, Duration: time.Since(s.start), Err: err})
}

// End records a successful span.
func (s *Span) End() { s.Finish(nil) }

// record enqueues without blocking: a send in a select with default.
func (t *Tracer) record(rec SpanRecord) {
	select {
	case t.queue <- rec:
	default:
		t.dropped.Add(1)
	}
}

// observeSince takes the start time as a parameter.
func (t *Tracer) observeSince(op string, start time.Time) {
	t.addDuration(op, time.Since(start))
}

func (t *Tracer) addDuration(op string, d time.Duration) {
	t.record(SpanRecord{Name: op, Duration: d})
}

// Ingest appends records to the in-memory store; the deferred Unlock is a
// field path, not a call chain.
func (t *Tracer) Ingest(recs []SpanRecord) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.spans = append(t.spans, recs...)
}

// Trace logs entry now and returns the exit logger.
func Trace(logger *log.Logger, name string) func() {
	start := time.Now()
	logger.Printf("enter %s", name)
	return func() { logger.Printf("exit %s after %s", name, time.Since(start)) }
}

// Region starts a named region and returns the func that ends it.
func (t *Tracer) Region(name string) (end func()) {
	t.inflight.Add(1)
	start := time.Now()
	return func() {
		t.inflight.Add(-1)
		t.observeSince(name, start)
	}
}

// Timer mirrors prometheus.Timer.
type Timer struct {
	start   time.Time
	observe func(time.Duration)
}

// NewTimer starts a timer.
func NewTimer(observe func(time.Duration)) *Timer {
	return &Timer{start: time.Now(), observe: observe}
}

// ObserveDuration reports the elapsed time; it returns a Duration, not a
// func.
func (tm *Timer) ObserveDuration() time.Duration {
	d := time.Since(tm.start)
	tm.observe(d)
	return d
}

// Swap sets *p to v and returns a func restoring the old value.
func Swap[T any](p *T, v T) (restore func()) {
	old := *p
	*p = v
	return func() { *p = old }
}

// Config is caller-owned configuration.
type Config struct {
	Verbose bool
	Retries int
}

// ---------------------------------------------------------------------------
// defer f()() and friends

// Rebuild defers the func returned by Trace.
func (t *Tracer) Rebuild(build func() error) error {
	defer Trace(t.logger, "rebuild")()
	return build()
}

// Compact defers the end func returned by a method.
func (t *Tracer) Compact(compact func()) {
	defer t.Region("compact")()
	compact()
}

// RunVerbose temporarily flips a config flag.
func RunVerbose(cfg *Config, fn func(*Config)) {
	defer Swap(&cfg.Verbose, true)()
	fn(cfg)
}

// ObserveRequest defers a method that returns a Duration.
func (t *Tracer) ObserveRequest(handle func()) {
	timer := NewTimer(func(d time.Duration) { t.addDuration("request", d) })
	defer timer.ObserveDuration()
	handle()
}

// StartTimer returns a stop func.
func (t *Tracer) StartTimer(op string) (stop func()) {
	start := time.Now()
	return func() { t.observeSince(op, start) }
}

// Index stores the stop func first and defers the variable.
func (t *Tracer) Index(docs []string, index func(string) error) error {
	stop := t.StartTimer("index")
	defer stop()
	for _, d := range docs {
		if err := index(d); err != nil {
			return err
		}
	}
	return nil
}

// withSpan starts a span and returns a func that ends it.
func (t *Tracer) withSpan(ctx context.Context, name string) func() {
	_, s := t.Start(ctx, name)
	return s.End
}

// Sync defers a method-value returned by a helper.
func (t *Tracer) Sync(ctx context.Context, run func(context.Context) error) error {
	defer t.withSpan(ctx, "sync")()
	return run(ctx)
}

// ---------------------------------------------------------------------------
// Receivers and call chains

// Fetch ends a span obtained earlier; only End is deferred.
func (t *Tracer) Fetch(ctx context.Context, get func(context.Context) ([]byte, error)) ([]byte, error) {
	ctx, span := t.Start(ctx, "fetch")
	defer span.End()
	return get(ctx)
}

// Handle ends the span stored in the context; the whole chain runs at exit
// because it is wrapped in a literal.
func (t *Tracer) Handle(ctx context.Context, work func(context.Context)) {
	defer func() { SpanFrom(ctx, t).End() }()
	work(ctx)
}

// Track decrements an atomic field at exit.
func (t *Tracer) Track(work func()) {
	t.inflight.Add(1)
	defer t.inflight.Add(-1)
	work()
}

// Announce defers a method on a field (the logger), with snapshot args.
func (t *Tracer) Announce(name string, work func()) {
	t.logger.Printf("starting %s", name)
	defer t.logger.Printf("finished %s", name) // ok: name never changes
	work()
}

// Lifecycle calls optional hooks from a config field, guarded for nil.
func (t *Tracer) Lifecycle(name string, work func()) {
	if t.cfg.OnStart != nil {
		t.cfg.OnStart(name)
	}
	if t.cfg.OnStop != nil {
		defer t.cfg.OnStop()
	}
	work()
}

// ---------------------------------------------------------------------------
// Function values that are never nil when the defer runs

var bufPool = sync.Pool{New: func() any { return new([]byte) }}

// Encode defaults cleanup to a no-op and replaces it before the defer.
func (t *Tracer) Encode(pooled bool, encode func(buf *[]byte) error) error {
	buf := new([]byte)
	cleanup := func() {}
	if pooled {
		buf = bufPool.Get().(*[]byte)
		cleanup = func() {
			*buf = (*buf)[:0]
			bufPool.Put(buf)
		}
	}
	defer cleanup()
	return encode(buf)
}

// Mode assigns the release func on every branch before deferring it; in
// exclusive mode it is the mutex's Unlock method value.
func (t *Tracer) Mode(exclusive bool, work func()) {
	var release func()
	if exclusive {
		t.mu.Lock()
		release = t.mu.Unlock
	} else {
		release = func() {}
	}
	defer release()
	work()
}

// RunHookChecked checks the map lookup before deferring the hook.
func (t *Tracer) RunHookChecked(name string, work func()) error {
	hook, ok := t.hooks[name]
	if !ok || hook == nil {
		return fmt.Errorf("obs: unknown hook %q", name)
	}
	defer hook()
	work()
	return nil
}

// Provision assigns cleanup late; the deferred literal checks for nil at
// exit time.
func (t *Tracer) Provision(steps []func() (func(), error)) error {
	var cleanup func()
	defer func() {
		if cleanup != nil {
			cleanup()
		}
	}()
	for _, step := range steps {
		undo, err := step()
		if err != nil {
			return err
		}
		if undo == nil {
			continue
		}
		prev := cleanup
		cleanup = func() {
			undo()
			if prev != nil {
				prev()
			}
		}
	}
	return nil
}

// apply always returns a non-nil undo func when err is nil.
func (t *Tracer) apply(level int64) (undo func(), err error) {
	if level < 0 {
		return nil, errors.New("obs: negative level")
	}
	prev := t.level.Swap(level)
	return func() { t.level.Store(prev) }, nil
}

// WithLevel defers undo only after the error check.
func (t *Tracer) WithLevel(level int64, work func()) error {
	undo, err := t.apply(level)
	if err != nil {
		return err
	}
	defer undo()
	work()
	return nil
}

// Finalize picks a finisher in a switch that has a default branch.
func (t *Tracer) Finalize(mode string, work func() error) (err error) {
	var finish func(error)
	switch mode {
	case "log":
		finish = func(e error) { t.logger.Printf("finalize: %v", e) }
	case "record":
		finish = func(e error) { t.record(SpanRecord{Name: "finalize", Err: e}) }
	default:
		finish = func(error) {}
	}
	defer func() { finish(err) }()
	return work()
}

// ---------------------------------------------------------------------------
// Values evaluated at the right time

// Measure passes time.Now() to the literal's start parameter.
func (t *Tracer) Measure(op string, work func()) {
	defer func(start time.Time) {
		t.observeSince(op, start)
	}(time.Now())
	work()
}

// Load passes time.Now() to a start-time parameter of a method.
func (t *Tracer) Load(load func() error) error {
	defer t.observeSince("load", time.Now())
	return load()
}

// Upload reads the named result inside the deferred literal.
func (t *Tracer) Upload(ctx context.Context, put func(context.Context) error) (err error) {
	ctx, span := t.Start(ctx, "upload")
	defer func() { span.Finish(err) }()
	if err = put(ctx); err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	return nil
}

// WithLevelSnapshot restores a deliberately snapshotted value.
func (t *Tracer) WithLevelSnapshot(level int64, work func()) {
	prev := t.level.Load()
	t.setLevel(level)
	defer t.setLevel(prev) // ok: prev is the value to restore
	work()
}

func (t *Tracer) setLevel(level int64) {
	if level < 0 {
		level = 0
	}
	t.level.Store(level)
}

// DiffFiles reassigns err after the first defer, but err is not an argument
// of either deferred call and each receiver is its own variable.
func DiffFiles(a, b string) (bool, error) {
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()

	ba, err := io.ReadAll(fa)
	if err != nil {
		return false, err
	}
	bb, err := io.ReadAll(fb)
	if err != nil {
		return false, err
	}
	return string(ba) == string(bb), nil
}

// finisher returns a func bound to name.
func (t *Tracer) finisher(name string) func() {
	start := time.Now()
	return func() { t.observeSince(name, start) }
}

// Warm defers a func variable that is never reassigned.
func (t *Tracer) Warm(names []string, warm func(string)) {
	done := t.finisher("warm")
	defer done()
	for _, n := range names {
		warm(n)
	}
}

// ---------------------------------------------------------------------------
// Deferred literals whose assignments and returns are meaningful

// SafeExport turns a panic in the encoder into the named error result.
func (t *Tracer) SafeExport(w io.Writer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("export panicked: %v", r)
		}
	}()
	return json.NewEncoder(w).Encode(t.Drain())
}

// Reload uses a bare return inside the deferred literal as an early exit.
func (t *Tracer) Reload(load func() error) (err error) {
	defer func() {
		if err == nil {
			return
		}
		t.logger.Printf("reload failed: %v", err)
	}()
	return load()
}

// IngestSorted appends collected spans and re-sorts t.spans on the way out
// (still under the lock); the return statement belongs to the nested
// less-function, not to the deferred literal.
func (t *Tracer) IngestSorted(collect func() []SpanRecord) []SpanRecord {
	spans := collect()
	t.mu.Lock()
	defer t.mu.Unlock()
	defer func() {
		sort.Slice(t.spans, func(i, j int) bool { return t.spans[i].Name < t.spans[j].Name })
	}()
	t.spans = append(t.spans, spans...)
	return spans
}

// Describe stores the close error in a local that an earlier-registered
// (hence later-running) deferred literal reads and logs.
func (t *Tracer) Describe(path string) error {
	var closeErr error
	defer func() {
		if closeErr != nil {
			t.logger.Printf("describe %s: close: %v", path, closeErr)
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { closeErr = f.Close() }()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	t.logger.Printf("describe %s: %d bytes, mode %s", path, info.Size(), info.Mode())
	return nil
}

// Remember stores the final error in a struct field.
func (t *Tracer) Remember(work func() error) error {
	var err error
	defer func() { t.lastErr.Store(errBox{err}) }()
	err = work()
	return err
}

// recordErr is deferred directly with a pointer to the caller's result.
func recordErr(errp *error, t *Tracer, op string) {
	if *errp != nil {
		t.record(SpanRecord{Name: op, Err: *errp})
	}
}

// Publish uses a differently named result through a pointer helper and a
// literal.
func (t *Tracer) Publish(send func() (int, error)) (n int, retErr error) {
	defer recordErr(&retErr, t, "publish")
	defer func() {
		if retErr != nil {
			n = 0
		}
	}()
	return send()
}

// ---------------------------------------------------------------------------
// Real hazards

// Reindex rebuilds the search index.
func (t *Tracer) Reindex(build func() error) error {
	defer Trace(t.logger, "reindex") // HAZ defer-func-result-not-called
	return build()
}

// Replicate copies items and records the outcome on the span.
func (t *Tracer) Replicate(ctx context.Context, items []string, copyItem func(context.Context, string) error) error {
	ctx, span := t.Start(ctx, "replicate")
	var err error
	defer span.Finish(err) // HAZ defer-eager-evaluation
	for _, it := range items {
		if err = copyItem(ctx, it); err != nil {
			return err
		}
	}
	return nil
}
