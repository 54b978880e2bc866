package main

import (
	"archive/zip"
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"example.com/mailsrv/internal/dnsmx"
)

// cmdArchive moves the given messages out of the spool into a .tar.gz.
func cmdArchive(args []string) int {
	fs := flag.NewFlagSet("archive", flag.ContinueOnError)
	out := fs.String("o", "spool-archive.tar.gz", "archive file")
	sp, fs := openSpool(fs, args)
	ids := fs.Args()
	if len(ids) == 0 {
		fmt.Fprintln(os.Stderr, "usage: mailctl archive [-o file] <id>...")
		return 2
	}
	lk, err := acquireLock(sp.Dir())
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	defer lk.Release()
	logger := log.New(os.Stderr, "mailctl archive: ", 0)
	if err := sp.Archive(*out, ids); err != nil {
		logger.Fatalf("%v", err) // HAZ exit-skips-defer
	}
	for _, id := range ids {
		if err := sp.Remove(id); err != nil {
			logger.Printf("remove %s: %v", id, err)
		}
	}
	logger.Printf("%d messages archived to %s", len(ids), *out)
	return 0
}

type probeResult struct {
	domain string
	hosts  []string
	err    error
}

func probeDomain(res *dnsmx.Resolver, domain string) probeResult {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	hosts, err := res.LookupMX(ctx, domain)
	if err != nil {
		return probeResult{domain: domain, err: err}
	}
	return probeResult{domain: domain, hosts: dnsmx.ProbeSorted(hosts, 5*time.Second)}
}

// cmdProbe resolves the given domains and lists the exchangers that accept
// connections, four domains at a time.
func cmdProbe(args []string) int {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	verbose := fs.Bool("v", false, "verbose")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	res := dnsmx.NewResolver(5*time.Second, time.Minute)
	results := make(chan probeResult, fs.NArg())
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, d := range fs.Args() {
		wg.Add(1)
		go func() { defer wg.Done(); sem <- struct{}{}; results <- probeDomain(res, d); <-sem }() // HAZ loop-var-capture
		if *verbose {
			fmt.Fprintf(os.Stderr, "probing %s\n", d)
		}
	}
	wg.Wait()
	close(results)
	status := 0
	for r := range results {
		if r.err != nil {
			fmt.Printf("%s\terror: %v\n", r.domain, r.err)
			status = 1
			continue
		}
		fmt.Printf("%s\t%s\n", r.domain, strings.Join(r.hosts, " "))
	}
	return status
}

// cmdGrep prints the ids of the queued messages whose body matches a
// regular expression.
func cmdGrep(args []string) int {
	sp, fs := openSpool(flag.NewFlagSet("grep", flag.ContinueOnError), args)
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: mailctl grep [-spool dir] <regexp>")
		return 2
	}
	re, err := regexp.Compile(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 2
	}
	ids, err := sp.List()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	for _, id := range ids {
		f, err := sp.OpenBody(id)
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if re.Match(sc.Bytes()) {
				fmt.Println(id)
				break
			}
		}
	}
	return 0
}

// cmdBundle writes a support bundle: every envelope of the spool and the
// journal, in one zip file.
func cmdBundle(args []string) int {
	fs := flag.NewFlagSet("bundle", flag.ContinueOnError)
	out := fs.String("o", "mailsrv-support.zip", "output file")
	sp, _ := openSpool(fs, args)
	envs, err := sp.LoadAll()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, env := range envs {
		w, err := zw.Create("env/" + env.ID + ".txt")
		if err != nil {
			fmt.Fprintln(os.Stderr, "mailctl:", err)
			return 1
		}
		fmt.Fprintf(w, "from=%s\nto=%s\nattempts=%d\nlast_error=%s\n", env.From, strings.Join(env.To, ","), env.Attempts, env.LastError)
	}
	w, err := zw.Create("journal.log")
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	if err := sp.ReadJournal(w); err != nil {
		fmt.Fprintln(os.Stderr, "mailctl: journal:", err)
	}
	return 0
}
