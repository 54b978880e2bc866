package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"time"

	"example.com/realtimegame/internal/replay"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: replaytool info|dump|merge|trim|verify|serve [flags] [files]")
}

// dispatch runs a one-shot subcommand and returns the process exit code.
func dispatch(cmd string, args []string) int {
	switch cmd {
	case "info":
		return cmdInfo(args)
	case "dump":
		return cmdDump(args)
	case "merge":
		return cmdMerge(args)
	case "trim":
		return cmdTrim(args)
	case "verify":
		return cmdVerify(args)
	default:
		usage()
		return 2
	}
}

// die prints an error and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "replaytool: "+format+"\n", args...)
	os.Exit(1)
}

func cmdInfo(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: replaytool info FILE")
		return 2
	}
	rd, err := replay.Open(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer rd.Close()
	h := rd.Header()
	frames, last := 0, uint64(0)
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		frames, last = frames+1, rec.Tick
	}
	fmt.Printf("room:     %s\nstarted:  %s\ntickrate: %d\nframes:   %d\nlast:     %d\n",
		h.RoomID, h.Started.Format(time.RFC3339), h.TickRate, frames, last)
	return 0
}

type dumpLine struct {
	Tick    uint64          `json:"tick"`
	Kind    string          `json:"kind"`
	Seq     uint32          `json:"seq"`
	Payload json.RawMessage `json:"payload"`
}

func cmdDump(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: replaytool dump FILE")
		return 2
	}
	rd, err := replay.Open(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer rd.Close()
	bw := bufio.NewWriter(os.Stdout)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(bw)
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return 0
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		line := dumpLine{Tick: rec.Tick, Kind: rec.Frame.Kind.String(), Seq: rec.Frame.Seq, Payload: rec.Frame.Payload}
		if !json.Valid(line.Payload) {
			line.Payload = nil
		}
		if err := enc.Encode(line); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
}

func cmdMerge(args []string) int {
	fset := flag.NewFlagSet("merge", flag.ExitOnError)
	out := fset.String("o", "merged"+replay.Ext, "output file")
	_ = fset.Parse(args)
	if fset.NArg() < 2 {
		fmt.Fprintln(os.Stderr, "merge: need at least two inputs")
		return 2
	}
	tmp := *out + ".partial"
	rec, err := replay.Create(tmp, replay.Header{RoomID: "merged", Started: time.Now()})
	if err != nil {
		log.Printf("merge: %v", err)
		return 1
	}
	defer os.Remove(tmp) // after a successful rename this is a harmless no-op
	n, err := replay.MergeInto(rec, fset.Args())
	if cerr := rec.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		log.Fatalf("merge: %v", err) // HAZ exit-skips-defer
	}
	if err := os.Rename(tmp, *out); err != nil {
		log.Printf("merge: %v", err)
		return 1
	}
	fmt.Printf("merged %d records into %s\n", n, *out)
	return 0
}

func cmdTrim(args []string) int {
	fset := flag.NewFlagSet("trim", flag.ExitOnError)
	from := fset.Uint64("from", 0, "first tick to keep")
	to := fset.Uint64("to", math.MaxUint64, "last tick to keep")
	out := fset.String("o", "", "output file (required)")
	_ = fset.Parse(args)
	if fset.NArg() != 1 || *out == "" {
		die("trim: usage: trim -o OUT [-from T] [-to T] FILE")
	}
	hdr, recs, err := replay.ReadAll(fset.Arg(0))
	if err != nil {
		die("trim: %v", err)
	}
	tmp := *out + ".partial"
	defer os.Remove(tmp)
	kept := recs[:0]
	for _, rec := range recs {
		if rec.Tick >= *from && rec.Tick <= *to {
			kept = append(kept, rec)
		}
	}
	if err := replay.WriteFile(tmp, hdr, kept); err != nil {
		die("trim: write %s: %v", tmp, err) // HAZ exit-skips-defer
	}
	if err := os.Rename(tmp, *out); err != nil {
		fmt.Fprintf(os.Stderr, "trim: %v\n", err)
		return 1
	}
	fmt.Printf("kept %d of %d records\n", len(kept), len(recs))
	return 0
}

func cmdVerify(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: replaytool verify FILE...")
		return 2
	}
	bad := 0
	for _, path := range args {
		err := func() error {
			rd, err := replay.Open(path)
			if err != nil {
				return err
			}
			defer rd.Close()
			var prev uint64
			for {
				rec, err := rd.Next()
				if errors.Is(err, io.EOF) {
					return nil
				}
				if err != nil {
					return err
				}
				if rec.Tick < prev {
					return fmt.Errorf("tick %d after %d", rec.Tick, prev)
				}
				prev = rec.Tick
			}
		}()
		if err != nil {
			fmt.Printf("FAIL %s: %v\n", path, err)
			bad++
			continue
		}
		fmt.Printf("ok   %s\n", path)
	}
	if bad > 0 {
		return 1
	}
	return 0
}
