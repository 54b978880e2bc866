// Package cli implements the subcommands of the backup tool.
package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"
	"runtime/trace"
	"syscall"
)

// Command is one configured subcommand.
type Command struct {
	log     *log.Logger
	dataDir string
	verbose bool
}

var errUsage = errors.New("usage: backup <command> [args]")

func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "backup: "+format+"\n", args...)
	os.Exit(1)
}

func acquireLock(dir string) (string, error) {
	p := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return p, nil
}

func runExport(dir string, w io.Writer) error {
	_, err := fmt.Fprintf(w, "exported %s\n", dir)
	return err
}

func cleanupLock(p string) {
	if err := os.Remove(p); err != nil {
		log.Printf("remove lock: %v", err)
	}
}

// Export exports the data directory while holding the lock file.
func (c *Command) Export(args []string) {
	lockPath, err := acquireLock(c.dataDir)
	if err != nil {
		log.Fatalf("lock: %v", err)
	}
	defer os.Remove(lockPath)
	if err := runExport(c.dataDir, os.Stdout); err != nil {
		log.Fatalf("export: %v", err) // HAZ exit-skips-defer
	}
}

// Profile runs the export under the CPU profiler.
func (c *Command) Profile(out string) {
	f, err := os.Create(out)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	defer pprof.StopCPUProfile()
	if err := runExport(c.dataDir, io.Discard); err != nil {
		log.Fatal(err) // HAZ exit-skips-defer
	}
}

// List prints the snapshots and exits with a status code.
func (c *Command) List(names []string) {
	w := bufio.NewWriter(os.Stdout)
	defer func() {
		if err := w.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}()
	code := 0
	for _, n := range names {
		if _, err := fmt.Fprintln(w, n); err != nil {
			code = 1
		}
	}
	os.Exit(code) // HAZ exit-skips-defer
}

// Restore restores a snapshot through a scratch directory.
func (c *Command) Restore(snapshot string) {
	tmp, err := os.MkdirTemp("", "restore-")
	if err != nil {
		die("scratch dir: %v", err)
	}
	defer os.Remove(tmp)
	if _, err := os.Stat(snapshot); err != nil {
		die("snapshot %s: %v", snapshot, err) // HAZ exit-skips-defer
	}
}

// Verify checks a snapshot and logs through the command's logger.
func (c *Command) Verify(snapshot string) {
	lockPath, err := acquireLock(c.dataDir)
	if err != nil {
		c.log.Fatalf("lock: %v", err)
	}
	defer cleanupLock(lockPath)
	if _, err := os.Stat(snapshot); err != nil {
		c.log.Fatalf("verify %s: %v", snapshot, err) // HAZ exit-skips-defer
	}
}

// Prune removes old snapshots while holding the lock.
func (c *Command) Prune(keep int) {
	lockPath, err := acquireLock(c.dataDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		syscall.Exit(2)
	}
	defer cleanupLock(lockPath)
	if keep < 1 {
		fmt.Fprintln(os.Stderr, "prune: keep must be positive")
		syscall.Exit(2) // HAZ exit-skips-defer
	}
}

// Dispatch runs the named subcommand.
func (c *Command) Dispatch(name string, args []string) {
	lockPath, err := acquireLock(c.dataDir)
	if err != nil {
		log.Fatal(err)
	}
	defer cleanupLock(lockPath)
	switch name {
	case "export":
		if err := runExport(c.dataDir, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	case "help":
		fmt.Println(errUsage)
		os.Exit(0) // HAZ exit-skips-defer
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n", name)
	}
}

// CheckAll checks every snapshot in every directory.
func (c *Command) CheckAll(dirs []string) {
	lockPath, err := acquireLock(c.dataDir)
	if err != nil {
		log.Fatal(err)
	}
	defer cleanupLock(lockPath)
dirs:
	for _, d := range dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			continue dirs
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			if _, err := e.Info(); err != nil {
				log.Fatalln("stat", e.Name(), err) // HAZ exit-skips-defer
			}
		}
	}
}

// Trace runs the export under the execution tracer.
func (c *Command) Trace(out string) {
	f, err := os.Create(out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}
	defer trace.Stop()
	if c.verbose {
		if err := runExport(c.dataDir, os.Stdout); err != nil {
			log.Fatalf("export: %v", err) // HAZ exit-skips-defer
		}
	}
}

// ---- negatives ----

// ParseFlags exits on bad flags before anything is deferred.
func (c *Command) ParseFlags(args []string) []string {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.BoolVar(&c.verbose, "v", false, "verbose")
	if err := fs.Parse(args); err != nil {
		os.Exit(2) // ok: nothing deferred yet
	}
	if fs.NArg() == 0 {
		log.Fatal(errUsage) // ok: nothing deferred yet
	}
	lockPath, err := acquireLock(c.dataDir)
	if err != nil {
		log.Fatal(err) // ok: still nothing deferred
	}
	defer cleanupLock(lockPath)
	return fs.Args()
}

// ListWithCode exits from a deferred closure registered first, after the other defers ran.
func (c *Command) ListWithCode(names []string) {
	code := 0
	defer func() { os.Exit(code) }() // ok: deferred exit, runs last
	w := bufio.NewWriter(os.Stdout)
	defer func() {
		if err := w.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}()
	for _, n := range names {
		if _, err := fmt.Fprintln(w, n); err != nil {
			code = 1
		}
	}
}

func (c *Command) run(args []string) int {
	lockPath, err := acquireLock(c.dataDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer cleanupLock(lockPath)
	if err := runExport(c.dataDir, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// Main exits with the status of run, whose defers have all run.
func (c *Command) Main(args []string) {
	os.Exit(c.run(args)) // ok: no defer in Main
}

// Abort cleans up explicitly before exiting.
func (c *Command) Abort(lockPath string, reason error) {
	cleanupLock(lockPath)
	fmt.Fprintln(os.Stderr, "aborted:", reason)
	os.Exit(3) // ok: nothing deferred
}

// MustRestore panics instead of exiting, so its defers still run.
func (c *Command) MustRestore(snapshot string) {
	lockPath, err := acquireLock(c.dataDir)
	if err != nil {
		log.Panicf("lock: %v", err)
	}
	defer cleanupLock(lockPath)
	if _, err := os.Stat(snapshot); err != nil {
		log.Panicf("restore %s: %v", snapshot, err) // ok: log.Panic runs the deferred calls
	}
}

// Sweep returns errors instead of exiting.
func (c *Command) Sweep() error {
	lockPath, err := acquireLock(c.dataDir)
	if err != nil {
		return err
	}
	defer cleanupLock(lockPath)
	return runExport(c.dataDir, io.Discard)
}

// Maybe only defers on the branch that returns.
func (c *Command) Maybe(locked bool) {
	if locked {
		lockPath, err := acquireLock(c.dataDir)
		if err != nil {
			return
		}
		defer cleanupLock(lockPath)
		if err := runExport(c.dataDir, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		return
	}
	if err := runExport(c.dataDir, os.Stdout); err != nil {
		log.Fatal(err) // ok: the only defer is on the other branch, which returned
	}
}

// Snapshot writes the manifest in a scoped literal, then may exit.
func (c *Command) Snapshot(manifest string) {
	err := func() error {
		f, err := os.Open(manifest)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(io.Discard, f)
		return err
	}()
	if err != nil {
		log.Fatalf("snapshot: %v", err) // ok: the literal's defer already ran
	}
}
