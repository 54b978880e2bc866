// Command janitor is a nightly cron job that removes stale temporary
// directories and old files and reports how much space it freed.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"example.com/falsealarm6/internal/fsutil"
	"example.com/falsealarm6/internal/lockfile"
	"example.com/falsealarm6/internal/progress"
	"example.com/falsealarm6/internal/report"
)

type plan struct {
	dirs  []string
	files []string
	bytes int64
}

// die reports a fatal error and exits. Use it only before anything has been
// deferred.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "janitor: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	roots := flag.String("roots", "/tmp,/var/tmp", "comma separated roots")
	age := flag.Duration("age", 7*24*time.Hour, "remove entries older than this")
	dry := flag.Bool("n", false, "only print what would be removed")
	lockPath := flag.String("lock", "/run/janitor.lock", "lock file")
	out := flag.String("report", "", "write a summary here")
	flag.Parse()
	if *age < time.Hour {
		die("refusing -age below one hour: %s", *age)
	}
	lk, err := lockfile.AcquireStale(*lockPath)
	if err != nil {
		die("%v", err)
	}
	defer lk.Release()

	p, err := scan(strings.Split(*roots, ","), *age, time.Now())
	if err != nil {
		die("scan: %v", err) // HAZ exit-skips-defer
	}
	if *dry {
		printPlan(p)
		return
	}
	sum := execute(p)
	if *out != "" {
		if err := report.WriteCSV(*out, sum); err != nil {
			fmt.Fprintf(os.Stderr, "janitor: report: %v\n", err)
		}
	}
	fmt.Printf("freed %s in %d entries (%d failed)\n", progress.HumanBytes(p.bytes), len(sum.Rows), sum.Failed())
}

// scan finds stale entries below each root.
func scan(roots []string, age time.Duration, now time.Time) (plan, error) {
	var p plan
	for _, root := range roots {
		root = strings.TrimSpace(root)
		if root == "" {
			continue
		}
		ents, err := os.ReadDir(root)
		if err != nil {
			return p, err
		}
		for _, e := range ents {
			info, err := e.Info()
			if err != nil || now.Sub(info.ModTime()) < age || protected(e.Name()) {
				continue
			}
			full := filepath.Join(root, e.Name())
			if e.IsDir() {
				size, _ := fsutil.DirSize(full)
				p.dirs = append(p.dirs, full)
				p.bytes += size
			} else {
				p.files = append(p.files, full)
				p.bytes += info.Size()
			}
		}
	}
	return p, nil
}

// protected names are never removed.
func protected(name string) bool {
	switch {
	case strings.HasPrefix(name, ".X"), strings.HasPrefix(name, "systemd-private-"):
		return true
	case name == "lost+found":
		return true
	}
	return false
}

func printPlan(p plan) {
	all := append(append([]string(nil), p.dirs...), p.files...)
	sort.Strings(all)
	for _, e := range all {
		fmt.Println("would remove", e)
	}
	fmt.Printf("would free %s\n", progress.HumanBytes(p.bytes))
}

// execute removes the planned entries. RemoveAll is called directly in the
// loop, never deferred.
func execute(p plan) *report.Summary {
	sum := report.NewSummary("janitor", time.Now())
	for _, d := range p.dirs {
		sum.Add(removeRow(d, os.RemoveAll(d)))
	}
	for _, f := range p.files {
		sum.Add(removeRow(f, os.Remove(f)))
	}
	return sum
}

func removeRow(name string, err error) report.Row {
	if err != nil {
		return report.Row{Name: name, Status: "failed", Err: err.Error()}
	}
	return report.Row{Name: name, Status: "ok"}
}
