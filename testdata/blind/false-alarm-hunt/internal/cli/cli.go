// Package cli contains helpers for command entry points: config loading,
// lock files, exit-code handling and interrupt handling.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Config is the on-disk configuration.
type Config struct {
	Addr    string `json:"addr"`
	DataDir string `json:"data_dir"`
}

// Fatalf prints to stderr and exits. It registers no defers.
func Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

// MustLoadConfig exits on failure; it has no deferred cleanup to skip.
func MustLoadConfig(path string) Config {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatalf("read config: %v", err)
	}
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		log.Fatalf("parse config %s: %v", path, err)
	}
	return c
}

// MustGetenv exits through the always-exiting helper; nothing is deferred.
func MustGetenv(key string) string {
	v, ok := os.LookupEnv(key)
	if !ok || v == "" {
		Fatalf("%s must be set", key)
	}
	return v
}

// RunWithLockFile exits only before the lock file exists (before any
// defer); failures after that are returned as an exit code.
func RunWithLockFile(lockPath string, fn func() error) int {
	f, err := os.OpenFile(lockPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		log.Fatalf("another instance holds %s: %v", lockPath, err)
	}
	_, werr := f.WriteString(strconv.Itoa(os.Getpid()))
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(lockPath)
		log.Fatalf("write %s: %v", lockPath, err)
	}
	defer os.Remove(lockPath)

	if err := fn(); err != nil {
		log.Printf("error: %v", err)
		return 1
	}
	return 0
}

// RunWithWatchdog aborts the process from the timer's function literal if
// fn makes no progress in time; the literal is not part of this function's
// own control flow.
func RunWithWatchdog(timeout time.Duration, fn func() error) error {
	t := time.AfterFunc(timeout, func() {
		fmt.Fprintf(os.Stderr, "watchdog: no progress after %s\n%s", timeout, debug.Stack())
		os.Exit(3)
	})
	defer t.Stop()
	return fn()
}

// Main runs run and exits with its code. The exit itself is deferred and
// registered first, so it runs last, after flush; a panic is reported and
// mapped to exit code 2 instead of being lost.
func Main(run func() int, flush func()) {
	code := 1
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "panic: %v\n%s", r, debug.Stack())
			code = 2
		}
		os.Exit(code)
	}()
	if flush != nil {
		defer flush()
	}
	code = run()
}

// Registry maps command names to handlers.
type Registry struct {
	mu       sync.Mutex
	handlers map[string]func([]string) error
}

// MustRegister uses log.Panicf, which panics (running defers) rather than
// exiting.
func (r *Registry) MustRegister(name string, h func([]string) error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.handlers == nil {
		r.handlers = make(map[string]func([]string) error)
	}
	if _, dup := r.handlers[name]; dup {
		log.Panicf("cli: duplicate command %q", name)
	}
	r.handlers[name] = h
}

// Dispatch runs the named command.
func (r *Registry) Dispatch(name string, args []string) error {
	r.mu.Lock()
	h, ok := r.handlers[name]
	r.mu.Unlock()
	if !ok {
		return fmt.Errorf("unknown command %q", name)
	}
	return h(args)
}

// Reporter collects validation problems. Its Fatalf records a fatal problem
// and returns; it does not exit the process.
type Reporter struct {
	problems []string
	fatal    bool
}

// Fatalf records a fatal problem.
func (r *Reporter) Fatalf(format string, args ...any) {
	r.fatal = true
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

// Warnf records a warning.
func (r *Reporter) Warnf(format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

// Failed reports whether a fatal problem was recorded.
func (r *Reporter) Failed() bool { return r.fatal }

// Manifest is a package manifest.
type Manifest struct {
	Name    string   `json:"name"`
	Version string   `json:"version"`
	Files   []string `json:"files"`
}

// CheckManifest validates a manifest file, reporting through Reporter.Fatalf
// after the file's Close has been deferred.
func CheckManifest(path string, rep *Reporter) {
	f, err := os.Open(path)
	if err != nil {
		rep.Fatalf("open %s: %v", path, err)
		return
	}
	defer f.Close()

	var m Manifest
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		rep.Fatalf("decode %s: %v", path, err)
		return
	}
	if m.Name == "" {
		rep.Fatalf("%s: missing name", path)
	}
	if len(m.Files) == 0 {
		rep.Warnf("%s: no files listed", path)
	}
}

// RunInterruptible cancels fn's context on the first SIGINT/SIGTERM. A
// second signal force-quits from a goroutine's function literal, which is
// the deliberate escape hatch for a hung shutdown.
func RunInterruptible(parent context.Context, fn func(context.Context) error) error {
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan struct{})
	defer close(done)

	go func() {
		select {
		case <-done:
			return
		case <-ctx.Done():
		}
		sigc := make(chan os.Signal, 1)
		signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(sigc)
		select {
		case <-sigc:
			fmt.Fprintln(os.Stderr, "second signal: exiting immediately")
			os.Exit(130)
		case <-done:
		}
	}()

	err := fn(ctx)
	if errors.Is(err, context.Canceled) && parent.Err() == nil {
		return nil // interrupted by a signal: a clean stop
	}
	return err
}

// WithLockFile runs fn while holding a lock file.
func WithLockFile(lockPath string, fn func() error) {
	f, err := os.OpenFile(lockPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		log.Fatalf("another instance holds %s: %v", lockPath, err)
	}
	if err := f.Close(); err != nil {
		log.Fatalf("close %s: %v", lockPath, err)
	}
	defer os.Remove(lockPath)

	if err := fn(); err != nil {
		log.Fatalf("run: %v", err) // HAZ exit-skips-defer
	}
}
