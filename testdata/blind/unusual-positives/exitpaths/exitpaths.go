// Package exitpaths holds batch-job entry points that terminate the process
// in various ways after (or before) registering deferred cleanup.
package exitpaths

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
)

// exitf prints a message and terminates the process with the given code.
func exitf(code int, msg string) {
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(code)
}

// fail is the package's "give up" helper; it always exits (through exitf).
func fail(err error) {
	exitf(1, "fatal: "+err.Error())
}

// ImportBatch writes a lock file, then validates every record; an empty record
// aborts the whole process through a helper two calls deep, leaving the lock
// file behind so the next run refuses to start.
func ImportBatch(lockPath string, records []string) int {
	if err := os.WriteFile(lockPath, []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		log.Printf("import: cannot lock: %v", err)
		return 0
	}
	defer os.Remove(lockPath)

	imported := 0
	for i, r := range records {
		if strings.TrimSpace(r) == "" {
			fail(fmt.Errorf("record %d is empty", i)) // HAZ exit-skips-defer
		}
		imported++
	}
	return imported
}

// Indexer rebuilds an on-disk index; it logs through its own *log.Logger.
type Indexer struct {
	log   *log.Logger
	spool string
}

// acquire takes a directory-based lock and returns its release function.
func (ix *Indexer) acquire() (func(), error) {
	dir := filepath.Join(ix.spool, ".lock")
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, err
	}
	return func() { os.Remove(dir) }, nil
}

// Rebuild holds the spool lock while it sizes every file; a missing file
// kills the process through the logger field and the lock directory stays.
func (ix *Indexer) Rebuild(names []string) int64 {
	release, err := ix.acquire()
	if err != nil {
		ix.log.Printf("rebuild skipped: %v", err)
		return 0
	}
	defer release()

	var total int64
	for _, name := range names {
		fi, err := os.Stat(filepath.Join(ix.spool, name))
		if err != nil {
			ix.log.Fatalf("rebuild: stat %s: %v", name, err) // HAZ exit-skips-defer
		}
		total += fi.Size()
	}
	return total
}

// RunMode profiles the selected computation; an unknown mode exits from the
// switch default and the CPU profile is never flushed.
func RunMode(mode string, prof io.Writer, in io.Reader) int {
	if err := pprof.StartCPUProfile(prof); err != nil {
		log.Printf("profiling disabled: %v", err)
		return -1
	}
	defer pprof.StopCPUProfile()

	sc := bufio.NewScanner(in)
	n := 0
	switch mode {
	case "lines":
		for sc.Scan() {
			n++
		}
	case "words":
		sc.Split(bufio.ScanWords)
		for sc.Scan() {
			n++
		}
	default:
		log.Fatalf("unknown mode %q", mode) // HAZ exit-skips-defer
	}
	return n
}

// ServeSocket accepts a single connection on a unix socket. The first failure
// uses log.Panicln (defers run), the second log.Fatalln (they do not): the
// socket file is left on disk and the next start fails with "address in use".
func ServeSocket(path string, handle func(net.Conn)) {
	ln, err := net.Listen("unix", path)
	if err != nil {
		log.Panicln("listen:", err)
	}
	defer os.Remove(path)
	defer ln.Close()

	conn, err := ln.Accept()
	if err != nil {
		log.Fatalln("accept:", err) // HAZ exit-skips-defer
	}
	handle(conn)
}

// Supervise writes a pid file and runs the child; a child failure leaves via
// syscall.Exit, which skips the pid file removal.
func Supervise(pidFile string, child func() error) {
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		log.Printf("supervise: %v", err)
		return
	}
	defer os.Remove(pidFile)

	if err := child(); err != nil {
		fmt.Fprintln(os.Stderr, "child failed:", err)
		syscall.Exit(3) // HAZ exit-skips-defer
	}
	log.Printf("child finished")
}

// ReplayJournal applies journal lines and persists the position on the way
// out; a failing line exits through log.Default() and the checkpoint is lost.
func ReplayJournal(lines []string, ckpt string, apply func(string) error) {
	pos := 0
	defer func() {
		if err := os.WriteFile(ckpt, []byte(strconv.Itoa(pos)), 0o600); err != nil {
			log.Printf("checkpoint: %v", err)
		}
	}()

	for i, line := range lines {
		if err := apply(line); err != nil {
			log.Default().Fatalf("replay line %d: %v", i, err) // HAZ exit-skips-defer
		}
		pos = i + 1
	}
}

// WatchLeases holds a lease file while renewals keep succeeding; a failed
// renewal exits through a locally built logger inside a select case.
func WatchLeases(ctx context.Context, renew <-chan error, leaseFile string) {
	logger := log.New(os.Stderr, "lease: ", log.LstdFlags)
	if err := os.WriteFile(leaseFile, []byte("held"), 0o600); err != nil {
		logger.Printf("cannot take lease: %v", err)
		return
	}
	defer os.Remove(leaseFile)

	for {
		select {
		case <-ctx.Done():
			return
		case err := <-renew:
			if err != nil {
				logger.Fatalln("renew failed:", err) // HAZ exit-skips-defer
			}
		}
	}
}

// ---- negatives ----

// LoadPlugins uses log.Panicln after the defer: a panic unwinds the stack and
// runs the deferred Close.
func LoadPlugins(dir string) []string {
	d, err := os.Open(dir)
	if err != nil {
		log.Panicln("open plugins:", err)
	}
	defer d.Close()

	names, err := d.Readdirnames(-1)
	if err != nil {
		log.Panicln("read plugins:", err)
	}
	return names
}

// MustOpenConfig exits only before any defer has been registered.
func MustOpenConfig(path string) map[string]string {
	f, err := os.Open(path)
	if err != nil {
		log.Fatalf("config: %v", err)
	}
	defer f.Close()

	cfg := make(map[string]string)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		cfg[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return cfg
}

// fatalError builds an error; despite its name it never terminates anything.
func fatalError(what string, err error) error {
	return fmt.Errorf("fatal: %s: %w", what, err)
}

// VerifyChecksums returns a "fatal" error after the defer; the defer runs.
func VerifyChecksums(path string, want map[string]string) error {
	f, err := os.Open(path)
	if err != nil {
		return fatalError("open sums", err)
	}
	defer f.Close()

	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			continue
		}
		if w, known := want[name]; known && w != sum {
			return fatalError("checksum "+name, errors.New("mismatch"))
		}
	}
	return sc.Err()
}

// Reporter collects failures; its Fatalf only records, like a test double.
type Reporter struct {
	failures []string
}

// Fatalf records a failure message.
func (r *Reporter) Fatalf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

// VerifyManifest calls Reporter.Fatalf after a defer; nothing exits.
func VerifyManifest(r *Reporter, path string) {
	f, err := os.Open(path)
	if err != nil {
		r.Fatalf("open manifest: %v", err)
		return
	}
	defer f.Close()

	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if !strings.Contains(sc.Text(), ":") {
			r.Fatalf("manifest line %d: missing ':'", line)
		}
	}
}

// RunTool registers its exit as the first defer, so every later defer (the
// pid file removal) runs before the process exits.
func RunTool(pidFile string, args []string) {
	code := 0
	defer func() { os.Exit(code) }()

	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
		return
	}
	defer os.Remove(pidFile)

	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: tool FILE...")
		code = 2
		return
	}
	for _, a := range args {
		fmt.Println(a)
	}
}
