// Command relayctl inspects relay snapshots offline.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"example.com/fah14/internal/report"
	"example.com/fah14/internal/store"
)

func main() {
	code := 0
	defer func() { os.Exit(code) }()
	code = run(os.Args[1:], os.Stdout, os.Stderr)
}

// run executes one relayctl command and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "relayctl: internal error: %v\n", r)
			code = 3
		}
	}()
	fs := flag.NewFlagSet("relayctl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	snap := fs.String("snapshot", "events.jsonl", "snapshot file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: relayctl [-snapshot file] topics|summary|compact")
		return 2
	}
	sn, err := store.LoadSnapshot(*snap)
	if err != nil {
		fmt.Fprintf(stderr, "relayctl: %v\n", err)
		return 1
	}
	switch fs.Arg(0) {
	case "topics":
		err = cmdTopics(stdout, sn)
	case "summary":
		err = report.WriteText(stdout, report.Summarize(sn.Events))
	case "compact":
		err = cmdCompact(*snap, sn)
	default:
		err = errors.New("unknown command " + fs.Arg(0))
	}
	if err != nil {
		fmt.Fprintf(stderr, "relayctl: %v\n", err)
		return 1
	}
	return 0
}

func cmdTopics(w io.Writer, sn store.Snapshot) error {
	counts := sn.Topics()
	topics := make([]string, 0, len(counts))
	for t := range counts {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	for _, t := range topics {
		if _, err := fmt.Fprintf(w, "%-20s %d\n", t, counts[t]); err != nil {
			return err
		}
	}
	return nil
}

// cmdCompact drops duplicate event ids, keeping the last occurrence.
func cmdCompact(path string, sn store.Snapshot) error {
	st := store.New()
	st.Replace(sn.Events)
	return store.WriteSnapshot(path, st.Snapshot())
}
