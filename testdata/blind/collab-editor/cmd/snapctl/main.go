// Command snapctl inspects and converts snapshot and journal files offline.
package main

import (
	"bufio"
	"compress/flate"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"example.com/collab/internal/doc"
	"example.com/collab/internal/snapshot"
)

type command struct {
	run  func(args []string) int
	help string
}

var commands = map[string]command{
	"inspect":    {cmdInspect, "inspect FILE            print a snapshot's header"},
	"text":       {cmdText, "text -o OUT FILE        write a snapshot's text"},
	"dump":       {cmdDump, "dump -o OUT JOURNAL     write a journal as readable lines"},
	"recompress": {cmdRecompress, "recompress -level N IN OUT"},
	"verify":     {cmdVerify, "verify DIR              check every snapshot in DIR"},
	"diff":       {cmdDiff, "diff A B                compare two snapshots"},
	"apply":      {cmdApply, "apply -dir DIR SNAP JOURNAL  replay a journal into a new snapshot"},
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 {
		usage(os.Stderr)
		return 2
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(os.Stderr, "snapctl: unknown command %q\n", args[0])
		usage(os.Stderr)
		return 2
	}
	return cmd.run(args[1:])
}

func usage(w io.Writer) {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: snapctl COMMAND [ARGS]")
	for _, name := range names {
		fmt.Fprintf(w, "  %s\n", commands[name].help)
	}
}

// die reports a fatal error and exits.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "snapctl: "+format+"\n", args...)
	os.Exit(1)
}

func cmdInspect(args []string) int {
	if len(args) != 1 {
		die("inspect takes one file")
	}
	snap, err := snapshot.Load(args[0])
	if err != nil {
		die("%v", err)
	}
	fmt.Printf("id:      %s\ntitle:   %s\nversion: %d\nupdated: %s\nrunes:   %d\n",
		snap.ID, snap.Title, snap.Version, snap.Updated.Format(time.RFC3339), len([]rune(snap.Text)))
	return 0
}

// cmdText writes the plain text of a snapshot to a file.
func cmdText(args []string) int {
	fs := flag.NewFlagSet("text", flag.ContinueOnError)
	out := fs.String("o", "", "output file")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: snapctl text -o OUT FILE")
		return 2
	}
	snap, err := snapshot.Load(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "snapctl: %v\n", err)
		return 1
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintf(os.Stderr, "snapctl: %v\n", err)
		return 1
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	if _, err := bw.WriteString(snap.Text); err != nil {
		fmt.Fprintf(os.Stderr, "snapctl: %v\n", err)
		return 1
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "snapctl: %v\n", err)
		return 1
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "snapctl: %v\n", err)
		return 1
	}
	return 0
}

// cmdDump writes a journal as one readable line per operation.
func cmdDump(args []string) int {
	fs := flag.NewFlagSet("dump", flag.ContinueOnError)
	out := fs.String("o", "", "output file")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: snapctl dump -o OUT JOURNAL")
		return 2
	}
	ops, err := snapshot.ReadJournal(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "snapctl: %v\n", err)
		return 1
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintf(os.Stderr, "snapctl: %v\n", err)
		return 1
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	for i, op := range ops {
		fmt.Fprintf(bw, "%6d base=%-6d %-12s %-6s pos=%d", i, op.Base, op.Client, op.Kind, op.Pos)
		if op.Text != "" {
			fmt.Fprintf(bw, " text=%q", op.Text)
		}
		if op.Len != 0 {
			fmt.Fprintf(bw, " len=%d", op.Len)
		}
		bw.WriteByte('\n')
	}
	fmt.Printf("%d ops written to %s\n", len(ops), *out)
	return 0
}

// cmdRecompress rewrites a snapshot with another compression level.
func cmdRecompress(args []string) int {
	fs := flag.NewFlagSet("recompress", flag.ContinueOnError)
	level := fs.Int("level", flate.BestCompression, "flate level")
	if err := fs.Parse(args); err != nil || fs.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: snapctl recompress -level N IN OUT")
		return 2
	}
	in, out := fs.Arg(0), fs.Arg(1)
	snap, err := snapshot.Load(in)
	if err != nil {
		die("load %s: %v", in, err)
	}
	partial := out + ".partial"
	defer os.Remove(partial)
	if err := snapshot.Export(partial, snap, *level); err != nil {
		die("write %s: %v", partial, err) // HAZ exit-skips-defer
	}
	if err := os.Rename(partial, out); err != nil {
		fmt.Fprintf(os.Stderr, "snapctl: %v\n", err)
		return 1
	}
	return 0
}

// cmdVerify checks every snapshot of a directory, printing progress dots.
func cmdVerify(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: snapctl verify DIR")
		return 2
	}
	done := make(chan []error)
	go func() {
		done <- snapshot.VerifyAll(args[0])
	}()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case errs := <-done:
			fmt.Fprintln(os.Stderr)
			for _, err := range errs {
				fmt.Fprintln(os.Stderr, err)
			}
			if len(errs) > 0 {
				return 1
			}
			fmt.Println("ok")
			return 0
		case <-tick.C:
			fmt.Fprint(os.Stderr, ".")
		}
	}
}

func cmdDiff(args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: snapctl diff A B")
		return 2
	}
	d, err := snapshot.Diff(args[0], args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "snapctl: %v\n", err)
		return 1
	}
	fmt.Printf("%s: v%d -> v%d, -%d +%d runes (common prefix %d, suffix %d)",
		d.ID, d.FromVersion, d.ToVersion, d.RemovedRunes, d.AddedRunes, d.CommonPrefix, d.CommonSuffix)
	if d.TitleChanged {
		fmt.Print(", title changed")
	}
	fmt.Println()
	return 0
}

// cmdApply replays a journal on top of a snapshot and stores the result.
func cmdApply(args []string) int {
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	dir := fs.String("dir", ".", "output directory")
	if err := fs.Parse(args); err != nil || fs.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: snapctl apply -dir DIR SNAP JOURNAL")
		return 2
	}
	snap, err := snapshot.Load(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "snapctl: %v\n", err)
		return 1
	}
	ops, err := snapshot.ReadJournal(fs.Arg(1))
	if err != nil {
		fmt.Fprintf(os.Stderr, "snapctl: %v\n", err)
		return 1
	}
	w, err := snapshot.NewWriter(*dir, flate.BestCompression)
	if err != nil {
		fmt.Fprintf(os.Stderr, "snapctl: %v\n", err)
		return 1
	}
	d := doc.FromSnapshot(snap, 1)
	n, err := d.ApplyBatch(ops, w)
	fmt.Printf("applied %d of %d ops to %s\n", n, len(ops), strings.TrimSpace(snap.ID))
	if err != nil {
		fmt.Fprintf(os.Stderr, "snapctl: %v\n", err)
		return 1
	}
	return 0
}
