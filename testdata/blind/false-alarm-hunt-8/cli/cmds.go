package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"time"

	"example.com/falsealarm8/config"
	"example.com/falsealarm8/fqueue"
	"example.com/falsealarm8/logx"
)

func builtins() []*Command {
	return []*Command{
		{Name: "cat", Summary: "print a config file, sorted", Run: cmdCat},
		{Name: "set", Summary: "set one key in a config file", Run: cmdSet},
		{Name: "compact", Summary: "delete old queue segments", Run: cmdCompact},
		{Name: "bench", Summary: "measure queue append speed", Run: cmdBench},
		{Name: "import", Summary: "append an export file to a queue", Run: cmdImport},
		{Name: "export", Summary: "write a queue as JSON lines", Run: cmdExport},
		{Name: "replay", Summary: "print the records of a queue", Run: cmdReplay},
		{Name: "archive", Summary: "gzip a rotated log file", Run: cmdArchive},
		{Name: "serve", Summary: "run a pub/sub hub over HTTP", Run: cmdServe},
	}
}

func newFlags(env *Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

func usageError(format string, args ...any) error {
	return &ExitError{Code: 2, Err: fmt.Errorf(format, args...)}
}

func cmdCat(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "cat")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError("usage: cat FILE...")
	}
	c, err := config.LoadLayered(fs.Args()...)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(c.Values))
	for k := range c.Values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, err := fmt.Fprintf(env.Stdout, "%s=%s\n", k, c.Values[k]); err != nil {
			return err
		}
	}
	return nil
}

// cmdSet edits one key. The store's write lock is held from Edit until the
// deferred commit, which releases it.
func cmdSet(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "set")
	file := fs.String("config", "infra.conf", "config file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageError("usage: set [-config FILE] KEY VALUE")
	}
	c, err := config.Load(*file)
	if err != nil {
		return err
	}
	store := config.NewStore(c)
	vals, commit := store.Edit()
	defer commit()
	vals[fs.Arg(0)] = fs.Arg(1)
	return writeConfig(*file, vals)
}

// writeConfig rewrites path with vals. The close error of the new file is
// joined into the named result.
func writeConfig(path string, vals map[string]string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, err := fmt.Fprintf(f, "%s = %s\n", k, vals[k]); err != nil {
			return err
		}
	}
	return nil
}

func cmdCompact(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "compact")
	dir := fs.String("dir", "spool", "queue directory")
	upto := fs.Int("upto", 0, "delete segments below this id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	unlock, err := acquireLockFile(filepath.Join(*dir, "LOCK"))
	if err != nil {
		return err
	}
	defer unlock()
	q, err := fqueue.Open(*dir, 0)
	if err != nil {
		return err
	}
	if err := q.Compact(*upto); err != nil {
		log.Fatalf("compact %s: %v", *dir, err) // HAZ exit-skips-defer
	}
	return q.Close()
}

func cmdBench(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "bench")
	n := fs.Int("n", 100000, "records to append")
	size := fs.Int("size", 128, "record size in bytes")
	profile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var stop func()
	if *profile != "" {
		s, err := startCPUProfile(*profile)
		if err != nil {
			return err
		}
		stop = s
	}
	defer stop() // HAZ defer-nil-func
	dir, err := os.MkdirTemp("", "fqueue-bench-")
	if err != nil {
		return err
	}
	elapsed, err := benchAppend(ctx, dir, *n, *size)
	rmErr := os.RemoveAll(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d records of %d bytes in %v (%.0f rec/s)\n",
		*n, *size, elapsed, float64(*n)/elapsed.Seconds())
	return rmErr
}

// benchAppend appends n records into a fresh queue in dir and syncs it.
func benchAppend(ctx context.Context, dir string, n, size int) (elapsed time.Duration, err error) {
	q, err := fqueue.Open(dir, 16<<20)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := q.Close(); err == nil {
			err = cerr
		}
	}()
	rec := make([]byte, size)
	start := time.Now()
	for i := range n {
		if i%1024 == 0 && ctx.Err() != nil {
			return time.Since(start), ctx.Err()
		}
		if err := q.Append(rec); err != nil {
			return time.Since(start), err
		}
	}
	if err := q.Sync(); err != nil {
		return time.Since(start), err
	}
	return time.Since(start), nil
}

func cmdImport(_ context.Context, env *Env, args []string) error {
	var err error
	defer reportStatus(env, "import", err) // HAZ defer-eager-evaluation
	fs := newFlags(env, "import")
	dir := fs.String("dir", "spool", "queue directory")
	if err = fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		err = usageError("usage: import [-dir DIR] FILE")
		return err
	}
	q, err := fqueue.Open(*dir, 64<<20)
	if err != nil {
		return err
	}
	err = q.Import(fs.Arg(0))
	if cerr := q.Close(); err == nil {
		err = cerr
	}
	return err
}

// cmdExport reports its final result from a deferred closure, which reads
// the named result when the function returns.
func cmdExport(_ context.Context, env *Env, args []string) (err error) {
	defer func() { reportStatus(env, "export", err) }()
	fs := newFlags(env, "export")
	dir := fs.String("dir", "spool", "queue directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("usage: export [-dir DIR] FILE")
	}
	q, err := fqueue.Open(*dir, 0)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := q.Close(); err == nil {
			err = cerr
		}
	}()
	return q.Export(fs.Arg(0))
}

// cmdReplay always has a non-nil stop func: the no-op default is replaced
// before the defer when profiling is requested. The deferred Fprintf's
// arguments are snapshots of values that do not change afterwards.
func cmdReplay(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "replay")
	dir := fs.String("dir", "spool", "queue directory")
	from := fs.Int("from", 0, "first segment")
	profile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stop := func() {}
	if *profile != "" {
		s, err := startCPUProfile(*profile)
		if err != nil {
			return err
		}
		stop = s
	}
	defer stop()
	q, err := fqueue.Open(*dir, 0)
	if err != nil {
		return err
	}
	defer fmt.Fprintf(env.Stderr, "replay of %s from segment %d finished\n", *dir, *from)
	err = q.ReplayFrom(*from, func(seg int, rec []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		_, err := fmt.Fprintf(env.Stdout, "%d\t%q\n", seg, rec)
		return err
	})
	if cerr := q.Close(); err == nil {
		err = cerr
	}
	return err
}

func cmdArchive(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "archive")
	keep := fs.Bool("keep", false, "keep the source file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("usage: archive [-keep] FILE")
	}
	src := fs.Arg(0)
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := logx.Compress(src+".gz", in); err != nil {
		return err
	}
	if *keep {
		return nil
	}
	return os.Remove(src)
}
