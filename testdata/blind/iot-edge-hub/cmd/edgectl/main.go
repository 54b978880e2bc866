// Command edgectl inspects a hub's data directory: buffer segments, CSV
// exports and the command audit log.
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/edgehub/internal/tsbuf"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: edgectl segments DIR | export DIR OUT.csv | audit FILE")
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "segments":
		err = cmdSegments(os.Args[2:])
	case "export":
		cmdExport(os.Args[2:])
	case "audit":
		cmdAudit(os.Args[2:])
	default:
		usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "edgectl:", err)
		os.Exit(1)
	}
}

// cmdSegments lists the segments of a buffer directory with their sizes.
func cmdSegments(args []string) error {
	if len(args) != 1 {
		return errors.New("usage: edgectl segments DIR")
	}
	names, err := tsbuf.Segments(args[0])
	if err != nil {
		return err
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush() // HAZ defer-close-unchecked-write
	for _, name := range names {
		n, err := tsbuf.CountPoints([]string{name})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\t%d\n", filepath.Base(name), n)
	}
	return nil
}

// cmdExport merges every segment of DIR into one CSV file.
func cmdExport(args []string) {
	if len(args) != 2 {
		log.Fatal("usage: edgectl export DIR OUT.csv")
	}
	names, err := tsbuf.Segments(args[0])
	if err != nil {
		log.Fatal(err)
	}
	tmp := args[1] + ".partial"
	out, err := os.Create(tmp)
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(tmp)

	w := csv.NewWriter(out)
	for _, name := range names {
		pts, err := tsbuf.ReadSegment(name)
		if err != nil {
			log.Fatalf("edgectl: %s: %v", name, err) // HAZ exit-skips-defer
		}
		for _, p := range pts {
			w.Write([]string{p.Series, strconv.FormatFloat(p.Value, 'g', -1, 64), p.At.UTC().Format(time.RFC3339)})
		}
	}
	w.Flush()
	if err := errors.Join(w.Error(), out.Close()); err != nil {
		log.Printf("edgectl: %v", err)
		return
	}
	if err := os.Rename(tmp, args[1]); err != nil {
		log.Printf("edgectl: %v", err)
	}
}

// cmdAudit prints the audit log one command per line.
func cmdAudit(args []string) {
	if len(args) != 1 {
		usage()
		os.Exit(2)
	}
	f, err := os.Open(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "edgectl:", err)
		os.Exit(1)
	}
	defer f.Close()
	w := bufio.NewWriter(os.Stdout)
	defer func() {
		if err := w.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, "edgectl:", err)
		}
	}()
	dec := json.NewDecoder(f)
	for {
		var e struct {
			At  time.Time      `json:"at"`
			Cmd map[string]any `json:"cmd"`
			Res map[string]any `json:"result"`
		}
		err := dec.Decode(&e)
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "edgectl: audit:", err)
			os.Exit(1) // HAZ exit-skips-defer
		}
		fmt.Fprintf(w, "%s %v %v ok=%v\n", e.At.Format(time.RFC3339), e.Cmd["device"], e.Cmd["op"], e.Res["ok"])
	}
}
