// Command verify reads every pack of a repository and checks that each blob
// authenticates and decompresses to data matching its id.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"

	"example.com/backupd/internal/index"
	"example.com/backupd/internal/lockfile"
	"example.com/backupd/internal/maint"
	"example.com/backupd/internal/seal"
)

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "verify: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	repoDir := flag.String("repo", "", "repository directory")
	workers := flag.Int("j", runtime.NumCPU(), "packs verified in parallel")
	flag.Parse()
	if *repoDir == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	code, err := run(*repoDir, *workers)
	if err != nil {
		fatalf("%v", err)
	}
	os.Exit(code)
}

func run(repoDir string, workers int) (int, error) {
	lock, err := lockfile.Acquire(filepath.Join(repoDir, "backupd.lock"), "verify")
	if err != nil {
		return 0, err
	}
	defer lock.Release()

	key, err := seal.LoadKeyFile(filepath.Join(repoDir, "key"))
	if err != nil {
		fatalf("cannot read the repository key: %v", err) // HAZ exit-skips-defer
	}
	s, err := seal.New(key)
	if err != nil {
		return 0, err
	}
	idx, err := index.Load(filepath.Join(repoDir, "index"))
	if err != nil {
		return 0, err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	v := maint.NewVerifier(repoDir, s, idx, workers, log.New(os.Stderr, "", log.LstdFlags))
	rep, err := v.VerifyAll(ctx)
	if err != nil {
		return 0, err
	}
	printReport(os.Stdout, rep)
	if rep.Damaged > 0 || len(rep.Missing) > 0 || len(rep.Errors) > 0 {
		return 3, nil
	}
	return 0, nil
}

func printReport(w io.Writer, rep maint.Report) {
	fmt.Fprintf(w, "packs:   %d\n", rep.Packs)
	fmt.Fprintf(w, "blobs:   %d\n", rep.Blobs)
	fmt.Fprintf(w, "damaged: %d\n", rep.Damaged)
	for _, name := range rep.Missing {
		fmt.Fprintf(w, "missing pack: %s\n", name)
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(w, "error: %s\n", e)
	}
}
