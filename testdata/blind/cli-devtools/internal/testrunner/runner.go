// Package testrunner drives `go test -json` over many packages: discovery,
// parallel runs, fixtures, retries and reports.
package testrunner

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"os"
	"os/exec"
	"strings"
	"time"

	"example.com/clidevtools/internal/procutil"
)

// Event is one line of `go test -json`.
type Event struct {
	Time    time.Time
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

// Result summarises one package run.
type Result struct {
	Package  string
	Passed   int
	Failed   int
	Skipped  int
	Elapsed  time.Duration
	Output   string
	ExitCode int
}

// OK reports whether the package passed.
func (r Result) OK() bool { return r.Failed == 0 && r.ExitCode == 0 }

// Runner runs test packages.
type Runner struct {
	Dir      string
	Parallel int
	Timeout  time.Duration
	Flags    []string
	Out      io.Writer
	Log      *log.Logger

	Setup    map[string]func()
	Teardown map[string]func()
}

// New returns a runner for the module in dir.
func New(dir string) *Runner {
	return &Runner{
		Dir:      dir,
		Parallel: 4,
		Timeout:  10 * time.Minute,
		Out:      os.Stdout,
		Log:      log.New(os.Stderr, "trun: ", 0),
		Setup:    map[string]func(){},
		Teardown: map[string]func(){},
	}
}

func (r *Runner) logf(format string, args ...any) {
	if r.Log != nil {
		r.Log.Printf(format, args...)
	}
}

// Packages lists the packages matching patterns.
func (r *Runner) Packages(ctx context.Context, patterns ...string) ([]string, error) {
	args := append([]string{"list"}, patterns...)
	out, err := procutil.New("go", args...).InDir(r.Dir).Output(ctx)
	if err != nil {
		return nil, err
	}
	return strings.Fields(out), nil
}

// RunPackage runs the tests of one package and parses the JSON stream.
func (r *Runner) RunPackage(ctx context.Context, pkg string) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	args := append([]string{"test", "-json"}, r.Flags...)
	args = append(args, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = r.Dir
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stdout
	start := time.Now()
	runErr := cmd.Run()
	res, err := parseEvents(pkg, &stdout)
	if err != nil {
		return res, err
	}
	res.Elapsed = time.Since(start)
	res.ExitCode = procutil.ExitCode(runErr)
	return res, nil
}

func parseEvents(pkg string, rd io.Reader) (Result, error) {
	res := Result{Package: pkg}
	var out strings.Builder
	sc := bufio.NewScanner(rd)
	for sc.Scan() {
		var ev Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			out.WriteString(sc.Text() + "\n")
			continue
		}
		switch ev.Action {
		case "pass":
			if ev.Test != "" {
				res.Passed++
			}
		case "fail":
			if ev.Test != "" {
				res.Failed++
			}
		case "skip":
			res.Skipped++
		case "output":
			out.WriteString(ev.Output)
		}
	}
	res.Output = out.String()
	return res, sc.Err()
}

// phase marks the start of a named phase and returns a handle to end it.
func (r *Runner) phase(name string) *Phase {
	r.logf("%s ...", name)
	return &Phase{r: r, name: name, start: time.Now()}
}

// Phase is a running timed phase.
type Phase struct {
	r     *Runner
	name  string
	start time.Time
}

// End logs the phase duration.
func (p *Phase) End() { p.r.logf("%s done in %s", p.name, time.Since(p.start).Round(time.Millisecond)) }

// Compile builds test binaries without running them.
func (r *Runner) Compile(ctx context.Context, pkgs []string) error {
	defer r.phase("compile").End() // HAZ defer-call-chain
	args := append([]string{"test", "-count=1", "-run=^$"}, pkgs...)
	_, err := procutil.New("go", args...).InDir(r.Dir).Output(ctx)
	return err
}

// CompileTimed builds test binaries; the phase handle is taken first and
// only its End is deferred.
func (r *Runner) CompileTimed(ctx context.Context, pkgs []string) error {
	p := r.phase("compile")
	defer p.End()
	args := append([]string{"test", "-count=1", "-run=^$"}, pkgs...)
	_, err := procutil.New("go", args...).InDir(r.Dir).Output(ctx)
	return err
}

func (r *Runner) setEnv(key, value string) func() {
	old, had := os.LookupEnv(key)
	os.Setenv(key, value)
	return func() {
		if had {
			os.Setenv(key, old)
		} else {
			os.Unsetenv(key)
		}
	}
}

// RunRace runs packages with the race detector and CGO forced on.
func (r *Runner) RunRace(ctx context.Context, pkgs []string) ([]Result, error) {
	defer r.setEnv("CGO_ENABLED", "1") // HAZ defer-func-result-not-called
	r.Flags = append(r.Flags, "-race")
	return r.RunAll(ctx, pkgs)
}

// RunShort runs packages in -short mode with GOFLAGS restored afterwards.
func (r *Runner) RunShort(ctx context.Context, pkgs []string) ([]Result, error) {
	defer r.setEnv("GOFLAGS", "-short")()
	return r.RunAll(ctx, pkgs)
}

func (r *Runner) logSpan(what string, start, end time.Time) {
	r.logf("%s finished in %s", what, end.Sub(start).Round(time.Millisecond))
}

// Suite runs all packages and logs the total time.
func (r *Runner) Suite(ctx context.Context, patterns ...string) ([]Result, error) {
	start := time.Now()
	defer r.logSpan("suite", start, time.Now()) // HAZ defer-eager-evaluation
	pkgs, err := r.Packages(ctx, patterns...)
	if err != nil {
		return nil, err
	}
	return r.RunAll(ctx, pkgs)
}

// SuiteTimed logs the total time from a closure, evaluated at exit.
func (r *Runner) SuiteTimed(ctx context.Context, patterns ...string) ([]Result, error) {
	start := time.Now()
	defer func() { r.logSpan("suite", start, time.Now()) }()
	pkgs, err := r.Packages(ctx, patterns...)
	if err != nil {
		return nil, err
	}
	return r.RunAll(ctx, pkgs)
}

// MustSuite runs the suite and aborts the process on infrastructure errors.
func (r *Runner) MustSuite(ctx context.Context, patterns ...string) []Result {
	cover, err := os.CreateTemp("", "trun-cover-*.out")
	if err != nil {
		r.Log.Fatalf("coverprofile: %v", err)
	}
	cover.Close()
	defer os.Remove(cover.Name())
	r.Flags = append(r.Flags, "-coverprofile="+cover.Name())
	res, err := r.Suite(ctx, patterns...)
	if err != nil {
		r.Log.Fatalf("suite: %v", err) // HAZ exit-skips-defer
	}
	return res
}

// MustPackages lists packages and aborts before anything is deferred.
func (r *Runner) MustPackages(ctx context.Context, patterns ...string) []string {
	pkgs, err := r.Packages(ctx, patterns...)
	if err != nil {
		r.Log.Fatalf("list: %v", err)
	}
	return pkgs
}
