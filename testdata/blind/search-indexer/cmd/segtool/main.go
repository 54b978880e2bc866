// Command segtool is the offline segment tool: compaction, inspection,
// micro-benchmarks and a one-shot janitor sweep.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/searchindexer/internal/index"
	"example.com/searchindexer/internal/merge"
	"example.com/searchindexer/internal/query"
	"example.com/searchindexer/internal/segment"
	"example.com/searchindexer/internal/textproc"
	"example.com/searchindexer/internal/trace"
)

func main() {
	code := 0
	defer func() { os.Exit(code) }()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "segtool ", log.LstdFlags)
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: segtool compact|inspect|bench|janitor ...")
		code = 2
		return
	}
	var err error
	switch os.Args[1] {
	case "compact":
		err = cmdCompact(ctx, os.Args[2:], logger)
	case "inspect":
		err = cmdInspect(os.Args[2:])
	case "bench":
		err = cmdBench(ctx, os.Args[2:])
	case "janitor":
		err = cmdJanitor(os.Args[2:], logger)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		logger.Print(err)
		code = 1
	}
}

// cmdCompact merges all segments of an index directory into one.
func cmdCompact(ctx context.Context, args []string, logger *log.Logger) error {
	if len(args) != 1 {
		return errors.New("usage: segtool compact DATA_DIR")
	}
	dir := args[0]
	lk, err := segment.LockDir(dir)
	if err != nil {
		return err
	}
	defer lk.Release()
	metas, err := segment.ReadManifest(dir)
	if err != nil {
		return err
	}
	cat := merge.NewStaticCatalog(metas)
	w := segment.NewWriter(dir, segment.MaxID(metas), true, logger)
	if err := merge.New(merge.DefaultPolicy(), cat, w, os.TempDir(), logger).Optimize(ctx); err != nil {
		logger.Fatalf("compact: %v", err) // HAZ exit-skips-defer
	}
	return w.WriteManifest(cat.Segments())
}

func cmdInspect(paths []string) error {
	for _, p := range paths {
		if err := inspectOne(p); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}

func inspectOne(path string) error {
	id, _ := segment.ParseID(filepath.Base(path))
	r, err := segment.Open(segment.Meta{ID: id, Path: path})
	if err != nil {
		return err
	}
	fmt.Printf("segment %016x: docs=%d terms=%d avglen=%.1f\n", id, r.DocCount(), len(r.Terms()), r.AvgDocLen())
	st, err := segment.ReadStatsSidecar(path)
	if err != nil {
		fmt.Printf("  no stats sidecar: %v\n", err)
		return nil
	}
	fmt.Printf("  sidecar: %s\n", st)
	return nil
}

// cmdBench indexes a synthetic corpus and times a fixed query mix.
func cmdBench(ctx context.Context, args []string) error {
	defer func() { trace.Default().Snapshot().Print(os.Stdout) }()
	n := 50000
	if len(args) > 0 {
		if _, err := fmt.Sscan(args[0], &n); err != nil {
			return err
		}
	}
	a := textproc.NewAnalyzer()
	mem := index.NewMemIndex(a)
	docs := make([]index.Document, 0, n)
	for i := 0; i < n; i++ {
		docs = append(docs, index.Document{ID: index.DocID(i + 1), Text: syntheticText(i)})
	}
	endIndex := trace.Region("bench.index")
	mem.AddAll(docs)
	endIndex()
	eng := query.NewEngine(mem, nil, trace.Default(), log.New(os.Stderr, "", 0), 1024)
	for _, raw := range []string{"segment merge", "+atomic rename", "gzip -fsync", "warmup cache reader"} {
		q, err := query.Parse(raw, a, 10)
		if err != nil {
			return err
		}
		if _, err := eng.SearchAll(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

func syntheticText(i int) string {
	words := []string{"segment", "merge", "atomic", "rename", "gzip", "fsync", "warmup", "cache", "reader", "snapshot"}
	return fmt.Sprintf("%s %s %s document %d", words[i%len(words)], words[(i/3)%len(words)], words[(i/7)%len(words)], i)
}

func cmdJanitor(args []string, logger *log.Logger) error {
	if len(args) != 1 {
		return errors.New("usage: segtool janitor DATA_DIR")
	}
	return merge.NewJanitor(args[0], time.Minute, time.Hour, logger).SweepOnce()
}
