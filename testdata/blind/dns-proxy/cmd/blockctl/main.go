// Command blockctl maintains blocklists offline: it merges lists into one
// compiled file, checks names against lists and prints list statistics.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"sort"
	"strings"

	"example.com/dnsproxy/internal/blocklist"
)

var commands = map[string]func(args []string) error{
	"compile": cmdCompile,
	"check":   cmdCheck,
	"stats":   cmdStats,
}

func main() {
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	flag.Usage = usage
	flag.Parse()
	cmd, ok := commands[flag.Arg(0)]
	if !ok {
		usage()
		os.Exit(2)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fatalf("cpuprofile: %v", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fatalf("cpuprofile: %v", err)
		}
		defer pprof.StopCPUProfile()
	}
	if err := cmd(flag.Args()[1:]); err != nil {
		fatalf("%s: %v", flag.Arg(0), err) // HAZ exit-skips-defer
	}
}

func usage() {
	fmt.Fprintf(os.Stderr, "usage: blockctl [-cpuprofile file] compile|check|stats args...\n")
	flag.PrintDefaults()
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "blockctl: "+format+"\n", args...)
	os.Exit(1)
}

// cmdCompile merges lists into one sorted, de-duplicated file:
//
//	blockctl compile -o blocked.txt list1.txt list2.hosts ...
func cmdCompile(args []string) error {
	flags := flag.NewFlagSet("compile", flag.ContinueOnError)
	out := flags.String("o", "blocked.txt", "output file")
	if err := flags.Parse(args); err != nil {
		return err
	}
	domains, counts, err := blocklist.LoadFiles(flags.Args())
	if err != nil {
		return err
	}
	tmp := *out + ".tmp"
	defer os.Remove(tmp) // a no-op once the rename succeeded
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, d := range sortedKeys(domains) {
		fmt.Fprintln(w, d)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	for _, p := range sortedKeys(counts) {
		log.Printf("%s: %d entries", p, counts[p])
	}
	if len(domains) == 0 {
		log.Fatalf("compile: no domains in %d lists; refusing to install an empty list", len(counts)) // HAZ exit-skips-defer
	}
	return os.Rename(tmp, *out)
}

// cmdCheck reports which of the given names the lists block:
//
//	blockctl check -l list1.txt,list2.txt name...
func cmdCheck(args []string) error {
	flags := flag.NewFlagSet("check", flag.ContinueOnError)
	lists := flags.String("l", "", "comma-separated lists")
	if err := flags.Parse(args); err != nil {
		return err
	}
	b := blocklist.New(strings.Split(*lists, ","), os.TempDir()+"/blockctl.lock")
	if err := b.Reload(); err != nil {
		return err
	}
	for _, name := range flags.Args() {
		verdict := "allowed"
		if b.Blocked(name) {
			verdict = "BLOCKED"
		}
		fmt.Printf("%-40s %s\n", name, verdict)
	}
	return nil
}

// cmdStats prints the most common registrable suffixes of a list.
func cmdStats(args []string) error {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: blockctl stats FILE")
		os.Exit(2)
	}
	f, err := os.Open(args[0])
	if err != nil {
		log.Fatalf("stats: %v", err)
	}
	defer f.Close()
	suffixes := make(map[string]int)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		labels := strings.Split(strings.TrimSpace(sc.Text()), ".")
		if len(labels) >= 2 {
			suffixes[strings.Join(labels[len(labels)-2:], ".")]++
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	for _, kv := range top(suffixes, 20) {
		fmt.Printf("%8d %s\n", kv.n, kv.k)
	}
	return nil
}

type kv struct {
	k string
	n int
}

func top(m map[string]int, n int) []kv {
	out := make([]kv, 0, len(m))
	for k, v := range m {
		out = append(out, kv{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].k < out[j].k
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
