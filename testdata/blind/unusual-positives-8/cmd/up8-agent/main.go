// Command up8-agent runs on build hosts and keeps an eye on the mirrors.
package main

import (
	"flag"
	"log"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	interval := flag.Duration("interval", 30*time.Second, "time between checks")
	pidFile := flag.String("pidfile", "/run/up8-agent.pid", "pid file")
	mirrors := flag.String("mirrors", "https://mirror-a.example.com", "comma-separated mirror URLs")
	flag.Parse()

	if err := writePID(*pidFile); err != nil {
		log.Fatalf("up8-agent: %v", err)
	}
	defer os.Remove(*pidFile) // HAZ signal-skips-defer

	ag := newAgent(strings.Split(*mirrors, ","), log.Default())
	t := time.NewTicker(*interval)
	for range t.C {
		ag.tick()
	}
}

// writePID writes our pid to path.
func writePID(path string) error {
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}
