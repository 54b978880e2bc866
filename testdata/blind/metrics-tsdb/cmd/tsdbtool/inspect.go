package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"example.com/tsdb/block"
	"example.com/tsdb/internal/fileutil"
	"example.com/tsdb/model"
	"example.com/tsdb/wal"
)

func cmdList(args []string) error {
	fs := flag.NewFlagSet("ls", flag.ExitOnError)
	dir := fs.String("data", "data", "data directory")
	lockIt := fs.Bool("lock", false, "hold the data directory lock while listing")
	fs.Parse(args)

	release := func() error { return nil }
	if *lockIt {
		l, err := fileutil.LockDir(*dir)
		if err != nil {
			return err
		}
		release = l.Release
	}
	defer release()

	dirs, err := blockDirs(*dir)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ULID\tMIN TIME\tMAX TIME\tSERIES\tSAMPLES\tLEVEL")
	for _, d := range dirs {
		m, err := block.ReadMeta(d)
		if err != nil {
			fmt.Fprintf(tw, "%s\t(unreadable: %v)\n", filepath.Base(d), err)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\n", m.ULID,
			time.UnixMilli(m.MinTime).UTC().Format(time.RFC3339),
			time.UnixMilli(m.MaxTime).UTC().Format(time.RFC3339),
			m.Stats.NumSeries, m.Stats.NumSamples, m.Compaction.Level)
	}
	return tw.Flush()
}

func cmdDump(args []string) error {
	fs := flag.NewFlagSet("dump", flag.ExitOnError)
	dir := fs.String("data", "data", "data directory")
	sel := fs.String("match", "", "series selector, e.g. up{job=\"node\"}")
	mint := fs.Int64("min-time", math.MinInt64, "start (ms)")
	maxt := fs.Int64("max-time", math.MaxInt64, "end (ms)")
	fs.Parse(args)

	ms, err := model.ParseSelector(*sel)
	if err != nil {
		return err
	}
	dirs, err := blockDirs(*dir)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(os.Stdout)
	for _, d := range dirs {
		b, err := block.Open(d)
		if err != nil {
			return err
		}
		defer b.Close() // HAZ defer-in-loop
		series, err := b.Select(*mint, *maxt, ms...)
		if err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		for _, s := range series {
			for _, smp := range s.Samples {
				fmt.Fprintf(out, "%s %g %d\n", s.Labels, smp.V, smp.T)
			}
		}
	}
	return out.Flush()
}

func cmdStats(args []string) error {
	fs := flag.NewFlagSet("stats", flag.ExitOnError)
	top := fs.Int("top", 20, "number of metrics to print")
	fs.Parse(args)
	if fs.NArg() != 1 {
		return errors.New("usage: tsdbtool stats [-top N] <block-dir>")
	}

	b, err := block.Open(fs.Arg(0))
	defer b.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("open block: %w", err)
	}
	series, err := b.Select(math.MinInt64, math.MaxInt64)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, s := range series {
		counts[s.Labels.Get(model.MetricName)] += len(s.Samples)
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return counts[names[i]] > counts[names[j]] })
	for i, n := range names {
		if i == *top {
			break
		}
		fmt.Printf("%10d  %s\n", counts[n], n)
	}
	return nil
}

// verifyBlock checks the checksum and that every series decodes.
func verifyBlock(dir string) error {
	b, err := block.Open(dir)
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.Verify(); err != nil {
		return err
	}
	_, err = b.Select(math.MinInt64, math.MaxInt64)
	return err
}

func cmdVerify(args []string) error {
	fs := flag.NewFlagSet("verify", flag.ExitOnError)
	dir := fs.String("data", "data", "data directory")
	fs.Parse(args)

	lock, err := fileutil.LockDir(*dir)
	if err != nil {
		return err
	}
	defer lock.Release()

	dirs, err := blockDirs(*dir)
	if err != nil {
		return err
	}
	var bad []string
	for _, d := range dirs {
		if err := verifyBlock(d); err != nil {
			fmt.Printf("CORRUPT %s: %v\n", filepath.Base(d), err)
			bad = append(bad, d)
			continue
		}
		fmt.Printf("ok      %s\n", filepath.Base(d))
	}
	if len(bad) > 0 {
		fmt.Printf("%d of %d blocks corrupt; run tsdbtool repair\n", len(bad), len(dirs))
		os.Exit(3) // HAZ exit-skips-defer
	}
	return nil
}

// segmentInfo counts the records of a segment file.
func segmentInfo(path string) (records int, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	r := wal.NewReader(bufio.NewReader(f))
	for r.Next() {
		records++
	}
	return records, st.Size(), r.Err()
}

func cmdWAL(args []string) error {
	fs := flag.NewFlagSet("wal", flag.ExitOnError)
	dir := fs.String("data", "data", "data directory")
	fs.Parse(args)
	walDir := filepath.Join(*dir, "wal")

	lock, err := fileutil.LockDir(*dir)
	if err != nil {
		fatalf("lock %s: %v", *dir, err)
	}
	defer lock.Release()

	refs, err := wal.ListSegments(walDir)
	if err != nil {
		fatalf("list segments: %v", err) // HAZ exit-skips-defer
	}
	for _, ref := range refs {
		n, size, err := segmentInfo(filepath.Join(walDir, ref.Name))
		status := "ok"
		if err != nil {
			status = err.Error()
		}
		fmt.Printf("%s  %8d records  %10d bytes  %s\n", ref.Name, n, size, status)
	}
	if cp, idx, err := wal.LastCheckpoint(walDir); err == nil && cp != "" {
		fmt.Printf("checkpoint up to segment %d: %s\n", idx, cp)
	}
	return nil
}

func cmdHealth(args []string) error {
	fs := flag.NewFlagSet("health", flag.ExitOnError)
	addr := fs.String("addr", "http://localhost:9090", "tsdbd base URL")
	timeout := fs.Duration("timeout", 5*time.Second, "request timeout")
	fs.Parse(args)

	client := &http.Client{Timeout: *timeout}
	resp, err := client.Get(strings.TrimSuffix(*addr, "/") + "/api/v1/status")
	if err != nil {
		fatalf("tsdbd not reachable: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status endpoint: %s", resp.Status)
	}
	var st struct {
		Uptime string `json:"uptime"`
		Head   struct {
			NumSeries  int    `json:"NumSeries"`
			NumSamples uint64 `json:"NumSamples"`
		} `json:"head"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return err
	}
	fmt.Printf("up %s, head: %d series, %d samples\n", st.Uptime, st.Head.NumSeries, st.Head.NumSamples)
	return nil
}
