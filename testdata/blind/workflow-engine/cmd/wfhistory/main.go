// Command wfhistory inspects and maintains history directories offline.
//
//	wfhistory dump    DIR
//	wfhistory verify  DIR
//	wfhistory export  DIR OUT.csv
//	wfhistory compact DIR
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"example.com/wfengine/internal/history"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: wfhistory dump|verify|export|compact DIR [OUT]")
}

// fail prints a message and exits with status 1.
func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "wfhistory: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 3 {
		usage()
		os.Exit(2)
	}
	cmd, dir := os.Args[1], os.Args[2]
	switch cmd {
	case "dump":
		if err := dump(dir, os.Stdout); err != nil {
			fail("dump: %v", err)
		}
	case "verify":
		if err := verify(dir); err != nil {
			fail("verify: %v", err)
		}
	case "export":
		if len(os.Args) < 4 {
			usage()
			os.Exit(2)
		}
		if err := export(dir, os.Args[3]); err != nil {
			fail("export: %v", err)
		}
	case "compact":
		minSize := int64(1 << 20)
		if v := os.Getenv("WFHISTORY_MIN_SEGMENT"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				fail("bad WFHISTORY_MIN_SEGMENT: %v", err)
			}
			minSize = n
		}
		compact(dir, minSize)
	default:
		usage()
		os.Exit(2)
	}
}

// dump prints every event as one JSON line.
func dump(dir string, out io.Writer) error {
	bw := bufio.NewWriter(out)
	enc := json.NewEncoder(bw)
	err := history.ReplayAll(dir, func(ev history.Event) error {
		return enc.Encode(ev)
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// verify checks that sequence numbers are contiguous across segments.
func verify(dir string) error {
	names, err := history.ListSegments(dir)
	if err != nil {
		return err
	}
	var want uint64
	for _, name := range names {
		evs, err := history.ReadSegment(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		for _, ev := range evs {
			if want != 0 && ev.Seq != want {
				return fmt.Errorf("%s: gap: got seq %d, want %d", name, ev.Seq, want)
			}
			want = ev.Seq + 1
		}
	}
	fmt.Printf("%d segments ok, next seq %d\n", len(names), want)
	return nil
}

func export(dir, out string) error {
	var evs []history.Event
	err := history.ReplayAll(dir, func(ev history.Event) error {
		evs = append(evs, ev)
		return nil
	})
	if err != nil {
		return err
	}
	return history.ExportCSV(out, evs)
}

// lockDir takes the directory's maintenance lock. The returned function
// releases it and is never nil.
func lockDir(dir string) (func(), error) {
	path := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return func() {}, fmt.Errorf("%s is locked by another process", dir)
		}
		return func() {}, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return func() {}, err
	}
	return func() { os.Remove(path) }, nil
}

// compact merges small sealed segments while holding the maintenance lock.
func compact(dir string, minSize int64) {
	unlock, err := lockDir(dir)
	if err != nil {
		fail("compact: %v", err)
	}
	defer unlock()

	merged, err := mergeSmallSegments(dir, minSize)
	if err != nil {
		fail("compact %s: %v", dir, err) // HAZ exit-skips-defer
	}
	fmt.Printf("compacted %d segments\n", merged)
}

// mergeSmallSegments rewrites runs of consecutive segments smaller than
// minSize into a single segment and returns how many files were merged.
func mergeSmallSegments(dir string, minSize int64) (int, error) {
	names, err := history.ListSegments(dir)
	if err != nil {
		return 0, err
	}
	if len(names) < 2 {
		return 0, nil
	}
	// The newest segment may still be appended to by a running engine.
	names = names[:len(names)-1]

	var run []string
	var evs []history.Event
	for _, name := range names {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			return 0, err
		}
		if fi.Size() >= minSize {
			break
		}
		segEvs, err := history.ReadSegment(filepath.Join(dir, name))
		if err != nil {
			return 0, err
		}
		run = append(run, name)
		evs = append(evs, segEvs...)
	}
	if len(run) < 2 {
		return 0, nil
	}
	// The merged file takes the first segment's name; the others go away.
	if err := history.WriteSegmentFile(filepath.Join(dir, run[0]), evs); err != nil {
		return 0, err
	}
	for _, name := range run[1:] {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return 0, err
		}
	}
	return len(run), nil
}
