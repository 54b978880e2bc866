// Command spoolwatch serves a small status page with the spool's newest
// messages; operators run it next to mailsrvd during incidents.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"example.com/mailsrv/internal/spool"
)

type state struct {
	mu     sync.Mutex
	total  int
	errors int
	bytes  int64
	recent []spool.Event
}

func (s *state) consume(events <-chan spool.Event) {
	for ev := range events {
		s.record(ev)
	}
}

func (s *state) record(ev spool.Event) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	s.recent = append(s.recent, ev)
	if len(s.recent) > 50 {
		s.recent = s.recent[len(s.recent)-50:]
	}
	if ev.Err != nil {
		s.errors++
		s.mu.Unlock()
		return
	}
	s.total++
	s.bytes += ev.Size
}

func (s *state) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	total, size, errs := s.total, s.bytes, s.errors
	recent := append([]spool.Event(nil), s.recent...)
	s.mu.Unlock()

	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "messages seen: %d (%d bytes), %d unreadable\n\n", total, size, errs)
	for i := len(recent) - 1; i >= 0; i-- {
		ev := recent[i]
		if ev.Err != nil {
			fmt.Fprintf(w, "%s\terror: %v\n", ev.ID, ev.Err)
			continue
		}
		fmt.Fprintf(w, "%s\t%d bytes\n", ev.ID, ev.Size)
	}
}

func main() {
	dir := flag.String("spool", "/var/spool/mailsrv", "spool directory")
	addr := flag.String("listen", "127.0.0.1:8026", "HTTP listen address")
	pidfile := flag.String("pidfile", "/run/spoolwatch.pid", "pid file")
	flag.Parse()

	sp, err := spool.Open(*dir)
	if err != nil {
		log.Fatalf("spoolwatch: %v", err)
	}
	if err := os.WriteFile(*pidfile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("spoolwatch: %v", err)
	}
	defer os.Remove(*pidfile)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := spool.NewWatcher(sp, 5*time.Second)
	st := &state{}
	go st.consume(w.Events())
	go w.Run(ctx)

	http.HandleFunc("/", st.serveHTTP)
	log.Printf("spoolwatch: listening on %s", *addr)
	if err := http.ListenAndServe(*addr, nil); err != nil { // HAZ signal-skips-defer
		log.Printf("spoolwatch: %v", err)
	}
}
