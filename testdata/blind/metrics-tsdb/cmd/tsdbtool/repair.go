package main

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"example.com/tsdb/block"
	"example.com/tsdb/internal/fileutil"
	"example.com/tsdb/model"
	"example.com/tsdb/wal"
)

func cmdRepair(args []string) error {
	fs := flag.NewFlagSet("repair", flag.ExitOnError)
	dir := fs.String("data", "data", "data directory")
	force := fs.Bool("force", false, "skip the data directory lock (a crashed tsdbd left it behind)")
	dryRun := fs.Bool("n", false, "only report what would be done")
	fs.Parse(args)

	var unlock func() error
	if !*force {
		l, err := fileutil.LockDir(*dir)
		if err != nil {
			return fmt.Errorf("%w (use -force if tsdbd is not running)", err)
		}
		unlock = l.Release
	}
	defer unlock() // HAZ defer-nil-func

	dirs, err := blockDirs(*dir)
	if err != nil {
		return err
	}
	quarantined := 0
	for _, d := range dirs {
		moved, err := quarantineIfCorrupt(*dir, d, *dryRun)
		if err != nil {
			return err
		}
		if moved {
			quarantined++
		}
	}
	kept, err := repairWAL(filepath.Join(*dir, "wal"), *dryRun)
	if err != nil {
		return err
	}
	fmt.Printf("quarantined %d blocks; WAL: %d records kept\n", quarantined, kept)
	return nil
}

// quarantineIfCorrupt moves a block that fails verification to <data>/corrupt.
func quarantineIfCorrupt(dataDir, blockDir string, dryRun bool) (bool, error) {
	b, err := block.Open(blockDir)
	if err == nil {
		err = b.Verify()
		b.Close()
	}
	if err == nil {
		return false, nil
	}
	fmt.Printf("corrupt block %s: %v\n", filepath.Base(blockDir), err)
	if dryRun {
		return true, nil
	}
	qdir := filepath.Join(dataDir, "corrupt")
	if err := os.MkdirAll(qdir, 0o777); err != nil {
		return false, err
	}
	if err := os.Rename(blockDir, filepath.Join(qdir, filepath.Base(blockDir))); err != nil {
		return false, err
	}
	return true, fileutil.SyncDir(dataDir)
}

// repairWAL replays the WAL and, on corruption, cuts the damaged segment.
func repairWAL(walDir string, dryRun bool) (int, error) {
	n := 0
	err := wal.Replay(walDir, func([]byte) error { n++; return nil })
	var cerr *wal.CorruptionErr
	if !errors.As(err, &cerr) {
		return n, err
	}
	fmt.Printf("%v\n", cerr)
	if dryRun {
		return n, nil
	}
	kept, err := salvageSegment(wal.SegmentName(walDir, cerr.Segment))
	if err != nil {
		return n, err
	}
	fmt.Printf("segment %d: kept %d records\n", cerr.Segment, kept)
	return n, nil
}

// salvageSegment keeps the readable prefix of a damaged WAL segment and cuts
// off the rest. It returns the number of records kept.
func salvageSegment(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	r := wal.NewReader(bufio.NewReader(f))
	n := 0
	for r.Next() {
		n++
	}
	if r.Err() == nil {
		return n, nil
	}
	good := r.Offset()

	f, err = os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	if err := f.Truncate(good); err != nil {
		return 0, err
	}
	return n, f.Sync()
}

func cmdExport(args []string) error {
	fs := flag.NewFlagSet("export", flag.ExitOnError)
	dir := fs.String("data", "data", "data directory")
	sel := fs.String("match", "", "series selector")
	out := fs.String("o", "export.csv.gz", "output file")
	fs.Parse(args)

	ms, err := model.ParseSelector(*sel)
	if err != nil {
		return err
	}
	dirs, err := blockDirs(*dir)
	if err != nil {
		return err
	}

	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	defer zw.Close()
	cw := csv.NewWriter(zw)

	if err := cw.Write([]string{"series", "timestamp_ms", "value"}); err != nil {
		return err
	}
	rows := 0
	for _, d := range dirs {
		n, err := exportBlock(cw, d, ms)
		if err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		rows += n
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "exported %d rows to %s\n", rows, *out)
	return nil
}

// exportBlock writes the matching samples of one block as CSV rows.
func exportBlock(cw *csv.Writer, dir string, ms []model.Matcher) (int, error) {
	b, err := block.Open(dir)
	if err != nil {
		return 0, err
	}
	defer b.Close()
	series, err := b.Select(math.MinInt64, math.MaxInt64, ms...)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range series {
		name := s.Labels.String()
		for _, smp := range s.Samples {
			row := []string{name, strconv.FormatInt(smp.T, 10), strconv.FormatFloat(smp.V, 'g', -1, 64)}
			if err := cw.Write(row); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
