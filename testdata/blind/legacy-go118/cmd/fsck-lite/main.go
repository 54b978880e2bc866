// Command fsck-lite checks that gzip archives and JSON configs in the given
// paths are readable.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/ioutil"
	"os"
	"path/filepath"
	"strings"

	"example.com/legacy118/internal/fsutil"
)

type summary struct {
	checked, bad int
}

var stats summary

func (s *summary) report() {
	fmt.Fprintf(os.Stderr, "fsck-lite: %d checked, %d bad\n", s.checked, s.bad)
}

func die(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(2)
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: fsck-lite [-lock file] path...")
	flag.PrintDefaults()
	os.Exit(2) // ok: no defers in this function
}

var lockPath = flag.String("lock", "", "optional pid lock file")

func main() {
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() == 0 {
		usage()
	}
	defer stats.report()
	code := check(flag.Args())
	os.Exit(code) // HAZ exit-skips-defer
}

func check(paths []string) int {
	if *lockPath != "" {
		lock, err := fsutil.AcquirePidLock(*lockPath)
		if err != nil {
			die("fsck-lite: %v", err) // ok: nothing deferred yet
		}
		defer lock.Release()
	}
	code := 0
	for _, p := range paths {
		stats.checked++
		err := checkOne(p)
		if err == nil {
			continue
		}
		stats.bad++
		code = 1
		if os.IsPermission(err) {
			die("fsck-lite: %s: %v", p, err) // HAZ exit-skips-defer
		}
		fmt.Fprintf(os.Stderr, "fsck-lite: %s: %v\n", p, err)
	}
	return code
}

func checkOne(path string) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".gz":
		_, err := fsutil.Gunzip(path)
		return err
	case ".json":
		b, err := ioutil.ReadFile(path)
		if err != nil {
			return err
		}
		var v interface{}
		return json.Unmarshal(b, &v)
	default:
		_, err := os.Stat(path)
		return err
	}
}
