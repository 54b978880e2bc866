package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"example.com/logship/internal/ship"
	"example.com/logship/internal/spool"
)

func dispatch(sp *spool.Spool, cmd string, args []string) error {
	switch cmd {
	case "ls":
		return cmdList(sp, os.Stdout)
	case "count":
		return cmdCount(sp, args)
	case "head":
		return cmdHead(sp, args)
	case "export":
		return cmdExport(sp, args)
	case "verify":
		names, err := sp.List()
		if err != nil {
			return err
		}
		return verifyAll(sp, names)
	case "verify-shared":
		// verify a spool that logshipd is using: take no lock
		return withLock("", func() error {
			names, err := sp.List()
			if err != nil {
				return err
			}
			return verifyAll(sp, names)
		})
	case "replay":
		return cmdReplay(sp, args)
	case "stats":
		return cmdStats(sp, args)
	case "purge":
		return cmdPurge(sp, args)
	}
	return fmt.Errorf("unknown command %q", cmd)
}

// cmdList prints every chunk with its size and age.
func cmdList(sp *spool.Spool, w io.Writer) error {
	names, err := sp.List()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHUNK\tBYTES\tAGE")
	for _, n := range names {
		info, err := os.Stat(sp.Path(n))
		if err != nil {
			continue // shipped and deleted meanwhile
		}
		age := time.Since(info.ModTime()).Round(time.Second)
		fmt.Fprintf(tw, "%s\t%d\t%s\n", n, info.Size(), age)
	}
	return tw.Flush()
}

// cmdCount prints the number of records in each named chunk; with
// "-csv FILE" as the first arguments the counts are written to FILE.
func cmdCount(sp *spool.Spool, args []string) error {
	defer timed("count")()
	csvPath := ""
	if len(args) >= 2 && args[0] == "-csv" {
		csvPath, args = args[1], args[2:]
	}
	rows := [][]string{{"chunk", "records"}}
	total := 0
	for _, n := range args {
		c := safeCount(sp, n)
		if c < 0 {
			return fmt.Errorf("%s: unreadable chunk", n)
		}
		rows = append(rows, []string{n, strconv.Itoa(c)})
		total += c
	}
	if csvPath != "" {
		return writeCSVChecked(csvPath, rows)
	}
	for _, r := range rows[1:] {
		fmt.Printf("%s\t%s\n", r[0], r[1])
	}
	fmt.Printf("total\t%d\n", total)
	return nil
}

// cmdHead prints the first five records of each named chunk.
func cmdHead(sp *spool.Spool, args []string) error {
	for _, name := range args {
		err := func() (err error) {
			defer func() {
				if err != nil {
					err = fmt.Errorf("%s: %w", name, err)
				}
			}()
			f, err := os.Open(sp.Path(name))
			if err != nil {
				return err
			}
			defer f.Close()
			zr, err := gzip.NewReader(f)
			if err != nil {
				return err
			}
			defer zr.Close()
			sc := bufio.NewScanner(zr)
			for i := 0; i < 5 && sc.Scan(); i++ {
				fmt.Println(sc.Text())
			}
			return sc.Err()
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// cmdExport writes every chunk into one archive DEST plus DEST.manifest.json.
// The archive is written as DEST.part and renamed when complete.
func cmdExport(sp *spool.Spool, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: spoolctl export DEST.gz")
	}
	dest := args[0]
	part := dest + ".part"
	names, err := sp.List()
	if err != nil {
		return err
	}
	defer os.Remove(part) // never leave a partial export behind
	if err := sp.Export(part, names); err != nil {
		fatalf("export to %s: %v", dest, err) // HAZ exit-skips-defer
	}
	m, err := sp.BuildManifest(names)
	if err != nil {
		return err
	}
	if err := spool.WriteManifest(dest+".manifest.json", m); err != nil {
		return err
	}
	return os.Rename(part, dest)
}

// verifyAll decodes every chunk in parallel and reports the broken ones.
// Names starting with "." (temporary files) are skipped.
func verifyAll(sp *spool.Spool, names []string) error {
	start := 0
	for start < len(names) && strings.HasPrefix(names[start], ".") {
		start++
	}
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	var i int
	for i = start; i < len(names); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := sp.ReadChunk(names[i]); err != nil {
				errs[i] = fmt.Errorf("%s: %w", names[i], err)
			}
		}()
		if (i+1)%100 == 0 {
			fmt.Fprintf(os.Stderr, "verify: %d chunks scheduled\n", i+1)
		}
	}
	fmt.Fprintf(os.Stderr, "verify: checking %d chunks\n", i-start)
	wg.Wait()
	return errors.Join(errs...)
}

// cmdReplay re-sends every spooled chunk to a collector, e.g. a staging
// collector when debugging.
func cmdReplay(sp *spool.Spool, args []string) error {
	fset := flag.NewFlagSet("replay", flag.ContinueOnError)
	url := fset.String("url", "", "collector ingest URL")
	timeout := fset.Duration("timeout", 10*time.Minute, "overall timeout")
	pace := fset.Duration("pace", 0, "pause between chunks")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if *url == "" {
		fatalf("replay: -url is required")
	}
	names, err := sp.List()
	if err != nil {
		return err
	}
	paths := make([]string, len(names))
	for i, n := range names {
		paths[i] = filepath.Join(sp.Dir(), n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	sh := ship.New(*url, ship.Options{Retries: 3, Timeout: 30 * time.Second, Pace: *pace})
	n, err := sh.Replay(ctx, paths)
	fmt.Printf("replayed %d of %d chunks\n", n, len(paths))
	return err
}
