// Package lazy wraps sync.OnceValue and friends for values that are
// expensive to compute and cleanups that must run exactly once.
package lazy

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
)

// Value is computed on first use; later calls return the same result.
type Value[T any] struct {
	get func() (T, error)
}

// New returns a Value computed by fn.
func New[T any](fn func() (T, error)) *Value[T] {
	return &Value[T]{get: sync.OnceValues(fn)}
}

// Get returns the value, computing it on the first call.
func (v *Value[T]) Get() (T, error) {
	return v.get()
}

// MustGet is Get for values whose computation cannot fail in practice.
func (v *Value[T]) MustGet() T {
	x, err := v.get()
	if err != nil {
		panic("lazy: " + err.Error())
	}
	return x
}

var hostname = sync.OnceValue(func() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "unknown"
	}
	return h
})

// Hostname returns the host name, looked up once per process.
func Hostname() string {
	return hostname()
}

// JSONFile returns a func that decodes the JSON file at path on first call
// and returns the same result afterwards.
func JSONFile[T any](path string) func() (T, error) {
	return sync.OnceValues(func() (T, error) {
		var v T
		f, err := os.Open(path)
		if err != nil {
			return v, err
		}
		defer f.Close()
		err = json.NewDecoder(f).Decode(&v)
		return v, err
	})
}

// Closer makes c.Close idempotent: every call returns the first call's error.
func Closer(c io.Closer) func() error {
	return sync.OnceValue(c.Close)
}

// WriteFile writes data to path. The deferred close only matters on the
// early returns; the success path returns the (memoised) close error.
func WriteFile(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	closeFile := Closer(f)
	defer closeFile()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return closeFile()
}

// Cleanup collects funcs to run once, last added first.
type Cleanup struct {
	mu  sync.Mutex
	fns []func()
	run func()
}

// NewCleanup returns an empty Cleanup.
func NewCleanup() *Cleanup {
	c := &Cleanup{}
	c.run = sync.OnceFunc(c.runAll)
	return c
}

// Add registers fn.
func (c *Cleanup) Add(fn func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fns = append(c.fns, fn)
}

// Run runs the registered funcs. Only the first call does anything.
func (c *Cleanup) Run() {
	c.run()
}

// runAll takes the funcs out under the lock and runs them without it, so a
// cleanup func may call Add.
func (c *Cleanup) runAll() {
	c.mu.Lock()
	fns := c.fns
	c.fns = nil
	c.mu.Unlock()
	for _, fn := range slices.Backward(fns) {
		fn()
	}
}

// WithCleanup calls body with a fresh Cleanup whose funcs run when body
// returns or panics.
func WithCleanup(body func(*Cleanup) error) error {
	c := NewCleanup()
	defer c.Run()
	return body(c)
}

// Registry hands out named shared resources.
type Registry struct {
	mu      sync.Mutex
	acquire map[string]func() (release func())
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{acquire: make(map[string]func() (release func()))}
}

// Register makes the resource name available; acquire returns its release.
func (r *Registry) Register(name string, acquire func() (release func())) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.acquire[name] = acquire
}

// Use runs fn while holding the resource name.
func (r *Registry) Use(name string, fn func() error) error {
	r.mu.Lock()
	acquire, ok := r.acquire[name]
	r.mu.Unlock()
	if !ok {
		return fmt.Errorf("lazy: no resource %q", name)
	}
	defer acquire()()
	return fn()
}

// Leases remembers the release funcs of resources held across calls.
type Leases struct {
	mu      sync.Mutex
	release map[string]func()
}

// Hold records release as the way to give up name.
func (l *Leases) Hold(name string, release func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.release == nil {
		l.release = make(map[string]func())
	}
	l.release[name] = release
}

// WithLease runs fn and then gives up the lease held under name.
func (l *Leases) WithLease(name string, fn func() error) error {
	l.mu.Lock()
	release := l.release[name]
	delete(l.release, name)
	l.mu.Unlock()
	defer release() // HAZ defer-nil-func
	return fn()
}

// ReleaseAll gives up every lease. Leases held under no name are skipped.
func (l *Leases) ReleaseAll() {
	l.mu.Lock()
	all := l.release
	l.release = nil
	l.mu.Unlock()
	for _, release := range all {
		if release != nil {
			release()
		}
	}
}

// RunQuiet runs every fn in turn; a panicking fn does not stop the others.
func RunQuiet(fns ...func()) {
	for _, fn := range fns {
		runOne(fn)
	}
}

func runOne(fn func()) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	fn()
}

// ReadFile returns the contents of the file at path.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer Closer(f) // HAZ defer-func-result-not-called
	return io.ReadAll(f)
}
