// Command compact sweeps, compacts and verifies a spool directory once.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/up18/internal/health"
)

func main() {
	dir := flag.String("dir", "/var/spool/up18", "spool directory")
	maxAge := flag.Duration("max-age", 7*24*time.Hour, "remove files older than this")
	flag.Parse()
	if flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: compact [-dir d] [-max-age d]")
		os.Exit(2)
	}

	code := 0
	defer func() { os.Exit(code) }()

	segs, err := filepath.Glob(filepath.Join(*dir, "seg-*.log"))
	if err != nil {
		log.Print(err)
		code = 1
		return
	}
	for _, err := range health.NewMonitor(time.Second, 1).Maintain([]string{*dir}, segs, *maxAge) {
		log.Print(err)
		code = 1
	}
}
