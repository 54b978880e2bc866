// Command up5relay copies keys from a source store into a target store on a
// fixed schedule.
package main

import (
	"flag"
	"log"
	"time"

	"example.com/up5/internal/replica"
	"example.com/up5/internal/store"
)

func relay(id int, s *replica.Syncer, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		if err := s.SyncAll(); err != nil {
			log.Printf("up5relay[%d]: %v", id, err)
		}
	}
}

func main() {
	from := flag.String("from", "a.db", "source store")
	to := flag.String("to", "b.db", "target store")
	workers := flag.Int("workers", 2, "relay workers")
	flag.Parse()
	src, err := store.Open(*from)
	if err != nil {
		log.Fatal(err)
	}
	dst, err := store.Open(*to)
	if err != nil {
		log.Fatal(err)
	}
	defer func() {
		if err := dst.Close(); err != nil {
			log.Printf("up5relay: flush %s: %v", *to, err)
		}
	}()
	s := replica.NewSyncer(src, dst, log.Writer())
	for i := range *workers {
		go relay(i, s, time.Duration(i+1)*time.Minute)
	}
	select {} // HAZ signal-skips-defer
}
