// Command logtail follows a log file like tail -f and prints the lines
// matching a pattern. With -state it remembers how far it got.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"regexp"
	"time"

	"example.com/clitests/internal/grep"
)

func main() {
	path := flag.String("f", "", "log `file` to follow")
	pattern := flag.String("e", ".", "print lines matching `regexp`")
	statePath := flag.String("state", "", "remember the read offset in `file`")
	poll := flag.Duration("poll", 250*time.Millisecond, "poll interval at end of file")
	flag.Parse()

	if *path == "" {
		log.Fatal("logtail: -f is required") // ok: nothing deferred yet
	}
	re, err := regexp.Compile(*pattern)
	if err != nil {
		log.Fatalf("logtail: %v", err) // ok: nothing deferred yet
	}
	offset, err := grep.LoadOffset(*statePath)
	if err != nil {
		log.Fatalf("logtail: %v", err) // ok: nothing deferred yet
	}
	t, err := grep.Follow(*path, offset)
	if err != nil {
		log.Fatalf("logtail: %v", err) // ok: nothing deferred yet
	}
	defer t.Close()
	defer t.SaveOffset(*statePath)

	for { // HAZ signal-skips-defer
		line, err := t.Next()
		if err == io.EOF {
			time.Sleep(*poll)
			continue
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "logtail: %v\n", err)
			time.Sleep(*poll)
			continue
		}
		if re.MatchString(line) {
			fmt.Println(line)
		}
	}
}
