// Command filesync mirrors a source directory into a destination.
//
//	filesync [-delete] [-n] [-checksum] [-state FILE] SRC DST
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/clitests/internal/cliutil"
	"example.com/clitests/internal/pidfile"
	"example.com/clitests/internal/syncer"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stderr)
	stop()
	os.Exit(code) // ok: main registered no defers
}

func run(ctx context.Context, args []string, stderr io.Writer) int {
	err := doSync(ctx, args, stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stderr, "filesync: %v\n", err)
	}
	return cliutil.ExitCode(err)
}

func doSync(ctx context.Context, args []string, stderr io.Writer) (err error) {
	fs := flag.NewFlagSet("filesync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		opt       syncer.Options
		statePath = fs.String("state", "", "save the synced listing to `file`")
		lockPath  = fs.String("lock", "", "hold this lock `file` while syncing")
		prof      cliutil.Profiles
		verbose   = fs.Bool("v", false, "log every file")
	)
	fs.BoolVar(&opt.Delete, "delete", false, "delete destination files missing from the source")
	fs.BoolVar(&opt.DryRun, "n", false, "dry run: only print what would change")
	fs.BoolVar(&opt.Checksum, "checksum", false, "compare file contents")
	fs.IntVar(&opt.Workers, "j", 4, "parallel copies")
	fs.StringVar(&prof.CPU, "cpuprofile", "", "write a CPU profile to `file`")
	fs.StringVar(&prof.Mem, "memprofile", "", "write a heap profile to `file`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return &cliutil.UsageError{Msg: "usage: filesync [flags] SRC DST"}
	}
	if *verbose || opt.DryRun {
		opt.Logger = log.New(stderr, "", 0)
	}

	stopProf, err := prof.Start()
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stopProf()) }() // ok: Start never returns a nil func with a nil error

	if *lockPath != "" {
		lk, err := pidfile.Acquire(*lockPath)
		if err != nil {
			return err
		}
		defer lk.Release()
	}

	defer cliutil.Elapsed("filesync", time.Now()) // ok: the start time is meant to be taken here

	s := syncer.New(fs.Arg(0), fs.Arg(1), opt)
	if *statePath != "" {
		err = s.RunAndSave(ctx, *statePath)
	} else {
		err = s.Run(ctx)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stderr, s.Stats())
	return nil
}
