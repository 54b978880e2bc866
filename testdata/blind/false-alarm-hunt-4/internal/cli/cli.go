// Package cli holds the shared plumbing of the command-line tools.
package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Config is the common tool configuration.
type Config struct {
	Addr    string        `json:"addr"`
	DataDir string        `json:"data_dir"`
	Timeout time.Duration `json:"timeout"`
}

// MustLoad reads and parses a config file or exits. It registers no defer.
func MustLoad(path string) Config {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatalf("config: %v", err) // ok: no defer in this function
	}
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		log.Fatalf("config %s: %v", path, err)
	}
	if c.Timeout == 0 {
		c.Timeout = 30 * time.Second
	}
	return c
}

// fatalf prints and exits; it is only called before any defer is registered.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(2)
}

// ParseFlags parses args for a tool, exiting on bad usage before anything
// needs cleaning up.
func ParseFlags(name string, args []string) (addr string, verbose bool, rest []string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&addr, "addr", ":8080", "listen address")
	fs.BoolVar(&verbose, "v", false, "verbose")
	if err := fs.Parse(args); err != nil {
		fatalf("%s: %v", name, err)
	}
	if addr == "" {
		fatalf("%s: -addr must not be empty", name)
	}
	return addr, verbose, fs.Args()
}

// Run is the body of a tool: it returns an exit code instead of exiting, so
// its defers always run.
func Run(ctx context.Context, in io.Reader, out io.Writer, args []string) int {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if len(args) == 0 {
		fmt.Fprintln(out, "usage: tool FILE...")
		return 2
	}
	for _, a := range args {
		if err := ctx.Err(); err != nil {
			fmt.Fprintln(out, err)
			return 1
		}
		if err := count(a, out); err != nil {
			fmt.Fprintln(out, err)
			return 1
		}
	}
	return 0
}

func count(path string, out io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintf(out, "%8d %s\n", n, path)
	return nil
}

// Main runs a Run-style body and exits with its code. The exit comes after
// run has returned, when its defers are done; Main itself defers nothing.
func Main(run func(context.Context) int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx)
	stop()
	os.Exit(code)
}

// WithLockFile runs fn while holding a lock file and removes it afterwards;
// the exit code is returned to the caller.
func WithLockFile(path string, fn func() error) int {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		fmt.Fprintf(os.Stderr, "lock %s: %v\n", path, err)
		return 3
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "lock %s: %v\n", path, err)
		return 3
	}
	defer os.Remove(path)
	if err := fn(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// Convert transforms every input file in a closure that owns the defers, and
// exits only after the closure has returned.
func Convert(paths []string, conv func([]byte) ([]byte, error)) {
	failed := 0
	for _, p := range paths {
		err := func() error {
			in, err := os.Open(p)
			if err != nil {
				return err
			}
			defer in.Close()
			b, err := io.ReadAll(in)
			if err != nil {
				return err
			}
			out, err := conv(b)
			if err != nil {
				return err
			}
			return os.WriteFile(strings.TrimSuffix(p, filepath.Ext(p))+".out", out, 0o644)
		}()
		if err != nil {
			log.Printf("%s: %v", p, err)
			failed++
		}
	}
	if failed > 0 {
		log.Fatalf("%d of %d files failed", failed, len(paths)) // ok: the defers above belong to the returned literal
	}
}

// Serve waits for a signal in a goroutine that cleans up explicitly before
// exiting; the exit is inside the function literal.
func Serve(serve func() error, cleanup func()) error {
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigc
		log.Printf("got %v, cleaning up", s)
		cleanup()
		os.Exit(0) // ok: inside a function literal, after the explicit cleanup
	}()
	return serve()
}

// Check validates the data directory; every exit comes before the defer.
func Check(dir string) []string {
	st, err := os.Stat(dir)
	if err != nil {
		log.Fatalf("check: %v", err)
	}
	if !st.IsDir() {
		log.Fatalf("check: %s is not a directory", dir)
	}
	d, err := os.Open(dir)
	if err != nil {
		log.Fatalf("check: %v", err) // ok: no defer registered yet
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		log.Printf("check: %v", err)
		return nil
	}
	return names
}

// Rebuild regenerates the index while holding the data directory's rebuild
// lock; a stale lock makes the next rebuild refuse to start.
func Rebuild(dataDir string, build func(dataDir string) error) {
	lock := filepath.Join(dataDir, ".rebuild.lock")
	if err := os.WriteFile(lock, []byte(fmt.Sprint(os.Getpid())), 0o600); err != nil {
		log.Fatalf("rebuild: %v", err)
	}
	defer os.Remove(lock)
	if err := build(dataDir); err != nil {
		log.Fatalf("rebuild: %v", err) // HAZ exit-skips-defer
	}
	log.Printf("rebuild of %s done", dataDir)
}

// ErrUsage marks a usage error.
var ErrUsage = errors.New("usage")

// ExitCode maps an error to a process exit code.
func ExitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrUsage):
		return 2
	case errors.Is(err, context.DeadlineExceeded):
		return 124
	default:
		return 1
	}
}
