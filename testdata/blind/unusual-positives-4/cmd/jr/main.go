// Command jr runs a job graph described in a JSON file.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/unusualpos4/internal/artifact"
	"example.com/unusualpos4/internal/sched"
	"example.com/unusualpos4/internal/task"
)

func main() {
	cfgPath := flag.String("f", "jobs.json", "job graph file")
	storeDir := flag.String("store", ".jr", "state and artifact directory")
	workers := flag.Int("j", 0, "parallel jobs (0 = number of CPUs)")
	maxAge := flag.Duration("max-age", 7*24*time.Hour, "gc: artifact age limit")
	flag.Parse()
	if flag.NArg() > 1 {
		usage()
		os.Exit(2)
	}
	if flag.Arg(0) == "gc" {
		a := newApp(*storeDir)
		a.gc(*maxAge)
		return
	}

	graph, err := loadGraph(*cfgPath)
	if err != nil {
		fatalf("jr: %v", err)
	}
	lk, err := acquireLock(*storeDir)
	if err != nil {
		fatalf("jr: %v", err)
	}
	defer lk.release()

	s := sched.New(graph, sched.Options{
		Workers: *workers,
		WorkDir: ".",
		OutDir:  filepath.Join(*storeDir, "out"),
		Logf:    log.Printf,
	})
	if err := s.RunAndPrint(context.Background(), os.Stderr); err != nil {
		die("build failed: %v", err) // HAZ exit-skips-defer
	}
	log.Printf("build ok")
}

func usage() {
	fmt.Fprintf(os.Stderr, "usage: jr [flags] [gc]\n")
	flag.PrintDefaults()
}

// die reports a build failure and exits.
func die(format string, args ...any) {
	fatalf("jr: "+format, args...)
}

// fatalf prints the message and exits with status 1.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

// loadGraph reads a JSON array of shell tasks.
func loadGraph(path string) (*task.Graph, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var specs []*task.Shell
	if err := json.Unmarshal(data, &specs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	tasks := make([]task.Task, len(specs))
	for i, sp := range specs {
		tasks[i] = sp
	}
	return task.NewGraph(tasks...)
}

// lockFile is a PID file that keeps two runners off the same store.
type lockFile struct {
	path string
}

func acquireLock(dir string) (*lockFile, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "jr.pid")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("another jr is running on %s: %w", dir, err)
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if cerr := f.Close(); werr != nil || cerr != nil {
		os.Remove(path)
		return nil, fmt.Errorf("writing %s: %v %v", path, werr, cerr)
	}
	return &lockFile{path: path}, nil
}

func (l *lockFile) release() {
	if err := os.Remove(l.path); err != nil {
		log.Printf("jr: releasing lock: %v", err)
	}
}

type app struct {
	storeDir string
	log      *log.Logger
}

func newApp(storeDir string) *app {
	return &app{storeDir: storeDir, log: log.New(os.Stderr, "jr: ", log.LstdFlags)}
}

// gc prunes old artifacts while holding the store lock.
func (a *app) gc(maxAge time.Duration) {
	lk, err := acquireLock(a.storeDir)
	if err != nil {
		a.log.Fatalf("gc: %v", err)
	}
	defer lk.release()
	store, err := artifact.NewFSStore(filepath.Join(a.storeDir, "artifacts"))
	if err != nil {
		a.log.Printf("gc: %v", err)
		return
	}
	if err := store.Prune(maxAge); err != nil {
		a.log.Fatalf("gc: prune: %v", err) // HAZ exit-skips-defer
	}
	a.log.Printf("gc: done")
}
