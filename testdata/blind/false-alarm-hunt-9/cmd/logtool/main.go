// Command logtool copies the events of one log into another, filtered by
// level and message text.
package main

import (
	"flag"
	"log"
	"strings"

	"example.com/falsealarm9/eventlog"
)

func main() {
	src := flag.String("src", "", "source log")
	dst := flag.String("dst", "", "destination log")
	minLevel := flag.Int("level", int(eventlog.LevelInfo), "minimum level")
	grep := flag.String("grep", "", "keep only messages containing this text")
	flag.Parse()
	if *src == "" || *dst == "" {
		log.Fatal("logtool: -src and -dst are required")
	}

	out, err := eventlog.Open(*dst)
	if err != nil {
		log.Fatalf("logtool: %v", err)
	}
	defer func() {
		if err := out.Close(); err != nil {
			log.Printf("logtool: close %s: %v", *dst, err)
		}
	}()

	copied := 0
	for ev, err := range eventlog.ReadEvents(*src) {
		if err != nil {
			log.Fatalf("logtool: read %s: %v", *src, err) // HAZ exit-skips-defer
		}
		if !matches(ev, eventlog.Level(*minLevel), *grep) {
			continue
		}
		if err := out.Append(ev); err != nil {
			log.Printf("logtool: write %s: %v", *dst, err)
			return
		}
		copied++
	}
	log.Printf("logtool: copied %d events", copied)
}

func matches(ev eventlog.Event, min eventlog.Level, grep string) bool {
	return ev.Level >= min && (grep == "" || strings.Contains(ev.Msg, grep))
}
