// Package daemon contains the process-level plumbing of the node daemon:
// pid files, state files, startup and the foreground exec helper.
package daemon

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
)

// LockFile is an exclusive O_EXCL lock file.
type LockFile struct {
	path string
	f    *os.File
}

func AcquireLock(path string) (*LockFile, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid())); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return nil, err
	}
	return &LockFile{path: path, f: f}, nil
}

// Release removes the lock file.
func (l *LockFile) Release() {
	_ = l.f.Close()
	_ = os.Remove(l.path)
}

type State struct {
	NodeID     string            `json:"node_id"`
	Generation int               `json:"generation"`
	Leases     map[string]string `json:"leases"`
}

// MustLoadState loads the state file under the state lock, or dies.
func MustLoadState(dir string) *State {
	lock, err := AcquireLock(filepath.Join(dir, "state.lock"))
	if err != nil {
		log.Fatalf("daemon: %v (is another instance running?)", err)
	}
	defer lock.Release()
	raw, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if err != nil {
		log.Fatalf("daemon: read state: %v", err) // HAZ exit-skips-defer
	}
	var st State
	if err := json.Unmarshal(raw, &st); err != nil {
		log.Fatalf("daemon: corrupt state: %v", err)
	}
	return &st
}

// LoadOrDie reads the bootstrap config; it exits before anything that needs
// cleaning up has been set up.
func LoadOrDie(path string) *State {
	raw, err := os.ReadFile(path)
	if err != nil {
		log.Fatalf("daemon: bootstrap config: %v", err) // ok: no defer registered yet
	}
	var st State
	if err := json.Unmarshal(raw, &st); err != nil {
		log.Fatalf("daemon: bootstrap config %s: %v", path, err) // ok: no defer registered yet
	}
	lock, err := AcquireLock(path + ".lock")
	if err != nil {
		log.Printf("daemon: not locking bootstrap config: %v", err)
		return &st
	}
	defer lock.Release()
	st.Generation++
	return &st
}

// Daemon is the long-running node process.
type Daemon struct {
	logger  *log.Logger
	pidPath string
	run     func(ctx context.Context) error
}

func (d *Daemon) writePIDFile() error {
	return os.WriteFile(d.pidPath, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

func (d *Daemon) removePIDFile() {
	if err := os.Remove(d.pidPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		d.logger.Printf("remove pid file: %v", err)
	}
}

// Run writes the pid file and runs the daemon body.
func (d *Daemon) Run(ctx context.Context) {
	if err := d.writePIDFile(); err != nil {
		d.logger.Fatalf("write pid file %s: %v", d.pidPath, err)
	}
	defer d.removePIDFile()
	if err := d.run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		d.logger.Fatalf("daemon stopped: %v", err) // HAZ exit-skips-defer
	}
	d.logger.Printf("daemon stopped cleanly")
}

// fatalf prints the error the way the CLI does and exits.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "nodectl: "+format+"\n", args...)
	os.Exit(1)
}

// RunMigrations applies the embedded migrations for the "migrate" subcommand.
func RunMigrations(dsn string, steps []string) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		fatalf("open database: %v", err)
	}
	defer db.Close()
	for i, stmt := range steps {
		if _, err := db.Exec(stmt); err != nil {
			fatalf("migration %d failed: %v", i+1, err) // HAZ exit-skips-defer
		}
	}
	fmt.Printf("applied %d migrations\n", len(steps))
}

type terminal struct {
	out io.Writer
}

func (t *terminal) HideCursor() { fmt.Fprint(t.out, "\x1b[?25l") }
func (t *terminal) Restore()    { fmt.Fprint(t.out, "\x1b[?25h\x1b[0m") }

// Supervisor runs child commands on behalf of "nodectl exec".
type Supervisor struct {
	tty *terminal
}

// ExecForeground runs a child attached to the terminal and propagates its
// exit status.
func (s *Supervisor) ExecForeground(name string, args []string) error {
	s.tty.HideCursor()
	defer s.tty.Restore()
	cmd := exec.Command(name, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		syscall.Exit(ee.ExitCode()) // HAZ exit-skips-defer
	}
	return err
}

// checkReporter collects failures of the self-check; its Fatalf mirrors the
// testing.T API but does not exit.
type checkReporter struct {
	failed bool
	out    io.Writer
}

func (r *checkReporter) Fatalf(format string, args ...any) {
	r.failed = true
	fmt.Fprintf(r.out, "FAIL: "+format+"\n", args...)
}

// SelfCheck verifies the data directory.
func SelfCheck(dir string, out io.Writer) bool {
	r := &checkReporter{out: out}
	lock, err := AcquireLock(filepath.Join(dir, "selfcheck.lock"))
	if err != nil {
		r.Fatalf("lock: %v", err)
		return false
	}
	defer lock.Release()
	if _, err := os.Stat(filepath.Join(dir, "state.json")); err != nil {
		r.Fatalf("state file: %v", err) // ok: checkReporter.Fatalf does not exit
	}
	return !r.failed
}

// usageFile holds the long help text shipped with the package.
const usageFile = "/usr/share/noded/usage.txt"

// NewFlagSet builds the daemon's flag set. The usage text is read once here;
// the Usage func runs later, from main, when parsing fails.
func NewFlagSet(out io.Writer) (*flag.FlagSet, *string, *bool) {
	fs := flag.NewFlagSet("noded", flag.ContinueOnError)
	fs.SetOutput(out)
	dataDir := fs.String("data", "/var/lib/noded", "data directory")
	verbose := fs.Bool("v", false, "verbose logging")
	help := "usage: noded [-data dir] [-v]\n"
	if f, err := os.Open(usageFile); err == nil {
		defer f.Close()
		if b, err := io.ReadAll(io.LimitReader(f, 64<<10)); err == nil {
			help = string(b)
		}
	}
	fs.Usage = func() {
		fmt.Fprint(out, help)
		fs.PrintDefaults()
		os.Exit(2) // ok: inside a function literal that runs after NewFlagSet returned
	}
	return fs, dataDir, verbose
}

type Component interface {
	Name() string
	Start(ctx context.Context) error
}

// MustStartAll starts every component concurrently and dies if any fails.
func MustStartAll(ctx context.Context, components []Component) {
	var wg sync.WaitGroup
	errs := make([]error, len(components))
	for i, c := range components {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Start(ctx); err != nil {
				errs[i] = fmt.Errorf("%s: %w", c.Name(), err)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		log.Fatalf("daemon: startup failed: %v", err) // ok: no defer registered in this function
	}
}
