// Command offsetctl inspects and edits the offsets a consumer group keeps
// in its local offsets directory.
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"example.com/consumer/broker"
	"example.com/consumer/offsets"
)

func main() {
	dir := flag.String("dir", ".", "offsets directory")
	grp := flag.String("group", "", "consumer group")
	flag.Usage = usage
	flag.Parse()
	if *grp == "" || flag.NArg() == 0 {
		usage()
		os.Exit(2)
	}
	var err error
	switch flag.Arg(0) {
	case "dump":
		err = dumpCmd(os.Stdout, *dir, *grp)
	case "reset":
		err = resetCmd(*dir, *grp, flag.Arg(1))
	case "export":
		err = exportCSV(*dir, *grp, flag.Arg(1))
	case "compact":
		err = compactCmd(*dir, *grp)
	case "import":
		importCmd(*dir, flag.Arg(1))
	default:
		usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "offsetctl %s: %v\n", flag.Arg(0), err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: offsetctl -group G [-dir D] dump | reset SPEC | export FILE.csv | compact | import FILE.json")
	flag.PrintDefaults()
}

// die reports a usage error and exits.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "offsetctl: "+format+"\n", args...)
	os.Exit(2)
}

type lockFile struct{ path string }

// acquireLock creates an exclusive lock file in dir.
func acquireLock(dir string) (*lockFile, error) {
	p := filepath.Join(dir, ".offsetctl.lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("another offsetctl holds %s", p)
		}
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(p)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(p)
		return nil, err
	}
	return &lockFile{path: p}, nil
}

func (l *lockFile) Release() error { return os.Remove(l.path) }

func dumpCmd(w io.Writer, dir, group string) error {
	offs, err := offsets.NewFileStore(dir).Load(group)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TOPIC\tPARTITION\tOFFSET")
	for _, tp := range sortedKeys(offs) {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", tp.Topic, tp.Partition, offs[tp])
	}
	return tw.Flush()
}

func resetCmd(dir, group, spec string) error {
	lk, err := acquireLock(dir)
	if err != nil {
		return err
	}
	defer lk.Release()
	offs, err := parseSpec(spec)
	if err != nil {
		die("reset: bad spec %q: %v (want topic-N=offset,...)", spec, err) // HAZ exit-skips-defer
	}
	return offsets.NewFileStore(dir).Save(group, offs)
}

func compactCmd(dir, group string) error {
	lk, err := acquireLock(dir)
	if err != nil {
		return err
	}
	defer lk.Release()
	if err := offsets.NewFileStore(dir).Compact(group); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintln(os.Stderr, "offsetctl: no journal, nothing to compact")
			os.Exit(0) // HAZ exit-skips-defer
		}
		return err
	}
	return nil
}

// importCmd loads an export written by "export-json" back into the store.
func importCmd(dir, path string) {
	lk, err := acquireLock(dir)
	if err != nil {
		log.Fatalf("import: %v", err)
	}
	defer lk.Release()
	group, err := offsets.NewFileStore(dir).ImportJSON(path)
	if err != nil {
		log.Fatalf("import %s: %v", path, err) // HAZ exit-skips-defer
	}
	fmt.Printf("imported offsets of group %s\n", group)
}

// parseSpec parses "orders-0=120,orders-1=97".
func parseSpec(spec string) (map[broker.TopicPartition]int64, error) {
	if spec == "" {
		return nil, errors.New("empty spec")
	}
	out := make(map[broker.TopicPartition]int64)
	for _, part := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("%q has no '='", part)
		}
		tp, err := broker.ParseTopicPartition(k)
		if err != nil {
			return nil, err
		}
		off, err := strconv.ParseInt(v, 10, 64)
		if err != nil || off < 0 {
			return nil, fmt.Errorf("bad offset %q", v)
		}
		out[tp] = off
	}
	return out, nil
}

func exportCSV(dir, group, path string) error {
	offs, err := offsets.NewFileStore(dir).Load(group)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cw := csv.NewWriter(f)
	if err := cw.Write([]string{"topic", "partition", "offset"}); err != nil {
		return err
	}
	for _, tp := range sortedKeys(offs) {
		rec := []string{tp.Topic, strconv.Itoa(tp.Partition), strconv.FormatInt(offs[tp], 10)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return f.Close()
}

func sortedKeys(m map[broker.TopicPartition]int64) []broker.TopicPartition {
	out := make([]broker.TopicPartition, 0, len(m))
	for tp := range m {
		out = append(out, tp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}
