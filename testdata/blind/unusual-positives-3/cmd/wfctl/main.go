// Command wfctl inspects and archives workflow journals.
package main

import (
	"flag"
	"fmt"
	"os"

	"example.com/unusualpos3/internal/workflow"
)

var verbose = flag.Bool("v", false, "verbose output")

func main() {
	dir := flag.String("journal", "/var/lib/wf/journal", "journal directory")
	flag.Usage = usage
	flag.Parse()

	cmd, id := flag.Arg(0), flag.Arg(1)
	if (cmd != "records" && cmd != "archive" && cmd != "export") || id == "" {
		usage()
		os.Exit(2)
	}
	j, err := workflow.OpenJournal(*dir)
	if err != nil {
		fatalf("open journal: %v", err)
	}
	defer j.Close()

	switch cmd {
	case "records":
		err = printRecords(j, id)
	case "archive":
		err = j.Archive(id)
	case "export":
		err = exportCmd(j, id, flag.Arg(2))
	}
	if err != nil {
		fatalf("%s %s: %v", cmd, id, err) // HAZ exit-skips-defer
	}
}

// printRecords prints the journal of one run.
func printRecords(j *workflow.Journal, id string) error {
	recs, err := j.Records(id)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if *verbose {
			fmt.Printf("%s %-8s %-10s %s %s\n", r.At.Format("15:04:05"), r.Kind, r.State, r.Step, r.Err)
			continue
		}
		fmt.Printf("%-8s %s\n", r.Kind, r.State)
	}
	return nil
}

// exportCmd exports the journal of one run to out, atomically.
func exportCmd(j *workflow.Journal, id, out string) error {
	if out == "" {
		out = id + ".jsonl"
	}
	recs, err := j.Records(id)
	if err != nil {
		return err
	}
	tmp := out + ".tmp"
	defer os.Remove(tmp)
	if err := j.ExportTo(tmp, recs); err != nil {
		fatalf("export %s: %v", id, err) // HAZ exit-skips-defer
	}
	return os.Rename(tmp, out)
}

// usage prints the command line help.
func usage() {
	fmt.Fprintf(os.Stderr, "usage: wfctl [-journal dir] [-v] records|archive|export RUN-ID [OUT]\n")
	flag.PrintDefaults()
}

// fatalf reports a fatal error and exits.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "wfctl: "+format+"\n", args...)
	die(1)
}

// die exits with code after flushing standard output.
func die(code int) {
	_ = os.Stdout.Sync()
	os.Exit(code)
}
