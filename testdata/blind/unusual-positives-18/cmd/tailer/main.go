// Command tailer follows log files and appends their lines to one output.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"sync"
	"time"

	"example.com/up18/internal/tail"
)

func main() {
	outPath := flag.String("o", "tailed.log", "output file")
	poll := flag.Duration("poll", 500*time.Millisecond, "poll interval at end of file")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: tailer [-o file] path...")
		os.Exit(2)
	}

	out, err := os.OpenFile(*outPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		log.Fatal(err)
	}
	defer func() {
		if err := out.Close(); err != nil {
			log.Printf("close %s: %v", *outPath, err)
		}
	}()
	bw := bufio.NewWriter(out)
	defer func() {
		if err := bw.Flush(); err != nil {
			log.Printf("flush %s: %v", *outPath, err)
		}
	}()

	var mu sync.Mutex
	for _, p := range flag.Args() {
		t := &tail.Tailer{Poll: *poll, Backoff: time.Second, Emit: func(line string) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintln(bw, line)
		}}
		go t.Follow(p)
	}
	select {} // HAZ signal-skips-defer
}
