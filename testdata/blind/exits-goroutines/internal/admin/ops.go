package admin

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// GateDeploy puts the node into drain mode (a flag file the load balancer
// health check looks at), waits for in-flight requests to finish and prints a
// Nagios-style verdict. The drain flag must be removed on the way out,
// otherwise the node stays out of rotation.
func GateDeploy(drainFile string, inflight func() int, wait time.Duration) {
	if err := os.WriteFile(drainFile, []byte("draining\n"), 0o644); err != nil {
		fmt.Printf("CRITICAL: cannot set drain flag: %v\n", err)
		os.Exit(2) // ok: nothing deferred yet
	}
	defer os.Remove(drainFile)

	status := waitIdle(inflight, wait)
	switch status {
	case "idle":
		fmt.Println("OK: node drained, safe to deploy")
	case "busy":
		fmt.Println("WARNING: requests still in flight, deploy at your own risk")
	default:
		fmt.Printf("CRITICAL: %s\n", status)
		os.Exit(2) // HAZ exit-skips-defer
	}
}

func waitIdle(inflight func() int, wait time.Duration) string {
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		n := inflight()
		if n < 0 {
			return "in-flight counter unavailable"
		}
		if n == 0 {
			return "idle"
		}
		time.Sleep(250 * time.Millisecond)
	}
	if inflight() < 5 {
		return "busy"
	}
	return "node is stuck with requests in flight"
}

// Lease is a cluster-wide lease; holders that vanish without releasing it
// block every other holder until the TTL expires.
type Lease interface {
	Release() error
}

// Locker hands out leases.
type Locker interface {
	Acquire(ctx context.Context, name string) (Lease, error)
}

// Document is one indexed document.
type Document struct {
	ID    string
	Terms []string
}

// Source lists the documents to index.
type Source interface {
	Documents(ctx context.Context) ([]Document, error)
}

// Reindexer rebuilds the inverted index under a cluster lease.
type Reindexer struct {
	log    *log.Logger
	locker Locker
	src    Source

	mu  sync.Mutex
	idx map[string][]string
}

// Run rebuilds the index once.
func (r *Reindexer) Run(ctx context.Context) {
	lease, err := r.locker.Acquire(ctx, "reindex")
	if err != nil {
		r.log.Printf("reindex: another run holds the lease: %v", err)
		return
	}
	defer lease.Release()

	docs, err := r.src.Documents(ctx)
	if err != nil {
		r.log.Fatalf("reindex: load documents: %v", err) // HAZ exit-skips-defer
	}
	idx := make(map[string][]string)
	for _, d := range docs {
		for _, t := range d.Terms {
			idx[t] = append(idx[t], d.ID)
		}
	}
	r.mu.Lock()
	r.idx = idx
	r.mu.Unlock()
	r.log.Printf("reindex: %d documents, %d terms", len(docs), len(idx))
}

// RunHook runs an operator hook while advertising our pid in pidFile, and
// propagates the hook's exit status.
func RunHook(ctx context.Context, pidFile string, argv []string) {
	if len(argv) == 0 {
		log.Print("hook: no command given")
		return
	}
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Printf("hook: %v", err)
		return
	}
	defer os.Remove(pidFile)

	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			syscall.Exit(ee.ExitCode()) // HAZ exit-skips-defer
		}
		log.Printf("hook: %v", err)
	}
}

type benchCase struct {
	name string
	fn   func() error
}

var benchCases = []benchCase{
	{"sha256-4k", func() error {
		buf := make([]byte, 4096)
		sum := sha256.Sum256(buf)
		if sum[0] == 0 && sum[1] == 0 && sum[2] == 0 {
			return errors.New("suspicious digest")
		}
		return nil
	}},
	{"hex-roundtrip", func() error {
		in := []byte("storectl benchmark payload")
		out, err := hex.DecodeString(hex.EncodeToString(in))
		if err != nil {
			return err
		}
		if string(out) != string(in) {
			return errors.New("hex roundtrip mismatch")
		}
		return nil
	}},
}

func (c benchCase) run(n int) error {
	for i := 0; i < n; i++ {
		if err := c.fn(); err != nil {
			return fmt.Errorf("iteration %d: %w", i, err)
		}
	}
	return nil
}

// RunBenchmark runs the micro benchmarks, optionally under the CPU profiler,
// and exits non-zero when a case fails.
func RunBenchmark(args []string) {
	set := flag.NewFlagSet("bench", flag.ContinueOnError)
	cpuProfile := set.String("cpuprofile", "", "write a CPU profile to `file`")
	iterations := set.Int("n", 1000, "iterations per case")
	if err := set.Parse(args); err != nil {
		os.Exit(2) // ok: nothing deferred yet
	}
	prof := &profiler{path: *cpuProfile}
	if err := prof.Start(); err != nil {
		log.Fatalf("bench: %v", err) // ok: nothing deferred yet
	}
	defer prof.Stop()

	failures := 0
	for _, c := range benchCases {
		if err := c.run(*iterations); err != nil {
			fmt.Printf("FAIL %-16s %v\n", c.name, err)
			failures++
			continue
		}
		fmt.Printf("ok   %s\n", c.name)
	}
	if failures > 0 {
		os.Exit(1) // HAZ exit-skips-defer
	}
}

// Event is one journal entry.
type Event struct {
	Op    string `json:"op"`
	Key   string `json:"key"`
	Value string `json:"value,omitempty"`
}

// Agent is the node-local agent that owns the data directory.
type Agent struct {
	log  *log.Logger
	mu   sync.Mutex
	data map[string]string
}

func (a *Agent) apply(ev Event) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch ev.Op {
	case "set":
		a.data[ev.Key] = ev.Value
	case "del":
		delete(a.data, ev.Key)
	}
}

// ReplayJournal replays dir/journal.log into memory while holding the data
// directory lock, and returns the number of entries applied.
func (a *Agent) ReplayJournal(dir string) int {
	lock, err := acquireLock(dir)
	if err != nil {
		a.log.Printf("replay: %v", err)
		return 0
	}
	defer lock.Release()

	f, err := os.Open(filepath.Join(dir, "journal.log"))
	if err != nil {
		a.log.Printf("replay: %v", err)
		return 0
	}
	defer f.Close()

	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		var ev Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			log.Fatalln("replay: journal corrupt at entry", n+1, "-", err) // HAZ exit-skips-defer
		}
		a.apply(ev)
		n++
	}
	return n
}

// KeyStore is the on-disk key store; Lock takes its exclusive flock.
type KeyStore interface {
	Lock() error
	Unlock() error
	Rotate(id string) (string, error)
}

// RunRotateKeys implements "storectl rotate-keys -key ID".
func RunRotateKeys(args []string, ks KeyStore) {
	set := flag.NewFlagSet("rotate-keys", flag.ContinueOnError)
	keyID := set.String("key", "", "`id` of the key to rotate")
	if err := set.Parse(args); err != nil {
		os.Exit(2) // ok: nothing deferred yet
	}
	if err := ks.Lock(); err != nil {
		die("keystore: %v", err) // ok: nothing deferred yet
	}
	defer ks.Unlock()

	if *keyID == "" {
		fatalUsage(set, "rotate-keys: -key is required") // HAZ exit-skips-defer
	}
	newID, err := ks.Rotate(*keyID)
	if err != nil {
		log.Printf("rotate-keys: %v", err)
		return
	}
	fmt.Printf("rotated %s -> %s\n", *keyID, newID)
}

// Console keeps the flag sets of all registered subcommands.
type Console struct {
	mu       sync.Mutex
	flagSets []*flag.FlagSet
}

// installUsage installs a usage function on set. The os.Exit lives in a
// function literal that only runs later, long after this method returned.
func (c *Console) installUsage(set *flag.FlagSet, synopsis string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	set.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: storectl %s\n\n", synopsis)
		set.PrintDefaults()
		os.Exit(2) // ok: inside a function literal
	}
	c.flagSets = append(c.flagSets, set)
}

var stateDir = "/var/lib/storectl"

func runCommand(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: no command", ErrUsage)
	}
	switch args[0] {
	case "version":
		fmt.Println("storectl", Version)
		return nil
	case "cat", "inspect":
		return nil
	default:
		return fmt.Errorf("%w: unknown command %q", ErrUsage, args[0])
	}
}

// RunCLI is the entry point used by cmd/storectl. The exit is deferred, and
// registered first, so it runs after every other deferred call.
func RunCLI(args []string) {
	code := 0
	defer func() { os.Exit(code) }() // ok: a deferred exit runs last
	lock, err := acquireLock(stateDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "storectl:", err)
		code = 1
		return
	}
	defer lock.Release()
	if err := runCommand(args); err != nil {
		code = fail(err)
	}
}

// Handler is a subcommand implementation.
type Handler func(args []string) error

// Registry maps subcommand names to handlers.
type Registry struct {
	mu       sync.Mutex
	handlers map[string]Handler
}

// MustRegister adds h under name. Duplicate registration is a programming
// error: log.Panicf panics, so the deferred Unlock does run.
func (r *Registry) MustRegister(name string, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.handlers[name]; dup {
		log.Panicf("storectl: subcommand %q registered twice", name) // ok: panic runs defers
	}
	if r.handlers == nil {
		r.handlers = make(map[string]Handler)
	}
	r.handlers[name] = h
}

// Execute runs the command line and exits with its status. execute has
// returned, and its deferred calls have run, before os.Exit is called.
func Execute() {
	os.Exit(execute(os.Args[1:])) // ok: no defer in this function
}

func execute(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: storectl COMMAND [ARGS]")
		return 2
	}
	lock, err := acquireLock(stateDir)
	if err != nil {
		return fail(err)
	}
	defer lock.Release()
	if err := runCommand(args); err != nil {
		return fail(err)
	}
	return 0
}

// RunCompact compacts the segment files of dir and returns an exit status.
// fail only formats the error; it does not exit.
func RunCompact(dir string) int {
	lock, err := acquireLock(dir)
	if err != nil {
		return fail(err)
	}
	defer lock.Release()
	segs, err := filepath.Glob(filepath.Join(dir, "*.seg"))
	if err != nil {
		return fail(err) // ok: fail returns a status, it never exits
	}
	if len(segs) < 2 {
		fmt.Println("compact: nothing to do")
		return 0
	}
	fmt.Printf("compact: merging %d segments\n", len(segs))
	return 0
}

// VerifyChecksums checks every "sha256  path" line of the manifest. The file
// is closed by the deferred call inside the function literal before the
// os.Exit below is reached.
func VerifyChecksums(manifest string) {
	failed := 0
	func() {
		f, err := os.Open(manifest)
		if err != nil {
			log.Printf("verify: %v", err)
			failed++
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			want, path, ok := strings.Cut(sc.Text(), "  ")
			if !ok {
				continue
			}
			b, err := os.ReadFile(path)
			if err != nil {
				log.Printf("verify: %v", err)
				failed++
				continue
			}
			sum := sha256.Sum256(b)
			if hex.EncodeToString(sum[:]) != want {
				fmt.Printf("MISMATCH %s\n", path)
				failed++
			}
		}
	}()
	if failed > 0 {
		os.Exit(1) // ok: the closure's deferred Close already ran
	}
}
