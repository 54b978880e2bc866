// Command ctl is the operator CLI for the storage cluster.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"

	"example.com/falsealarm3/storage/wal"
)

var errUsage = errors.New("usage: ctl [-dir DIR] inspect|verify|archive ARGS")

func main() {
	log.SetFlags(0)
	dir := flag.String("dir", "", "WAL directory")
	flag.Parse()
	if *dir == "" {
		log.Fatal("ctl: -dir is required") // ok: no defer registered yet
	}
	if flag.NArg() == 0 {
		fatalf("%v", errUsage) // ok: exits before any defer
	}
	if err := dispatch(*dir, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "ctl:", err)
		os.Exit(1) // ok: main registered no defers
	}
}

// fatalf prints and exits; only called from main before any defer.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ctl: "+format+"\n", args...)
	os.Exit(2)
}

func dispatch(dir string, args []string) error {
	switch args[0] {
	case "inspect":
		return inspect(dir)
	case "verify":
		if len(args) < 2 {
			return errUsage
		}
		return wal.VerifyNamed(args[1], 0)
	case "archive":
		if len(args) < 2 {
			return errUsage
		}
		return archive(dir, args[1])
	}
	return errUsage
}

// inspect prints the records in the log; the log is closed on every path.
func inspect(dir string) (err error) {
	l, err := wal.Open(dir, 64<<20)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := l.Close(); err == nil {
			err = cerr
		}
	}()
	recs, err := l.ReadFrom(1)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(os.Stdout)
	for _, r := range recs {
		fmt.Fprintf(w, "%d\t%d\t%q\n", r.Index, r.Term, r.Data)
	}
	return w.Flush() // ok: checked flush, stdout is not closed
}

// archive bundles the snapshots, then asks before pruning.
func archive(dir, out string) error {
	if err := wal.Archive(out, snapshotFiles(dir)); err != nil {
		return err
	}
	fmt.Print("prune archived snapshots? [y/N] ")
	answer, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	if strings.TrimSpace(answer) != "y" {
		return nil
	}
	n, err := wal.Retention(dir, 3)
	fmt.Printf("removed %d snapshots\n", n)
	return err
}

func snapshotFiles(dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".snap") {
			out = append(out, dir+"/"+e.Name())
		}
	}
	return out
}
