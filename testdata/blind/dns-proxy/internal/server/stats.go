package server

import (
	"bufio"
	"io"
	"log"
	"os"
	"strconv"
	"strings"
	"time"
)

// statsLoop logs cache and memory statistics every StatsInterval.
func (s *Server) statsLoop() {
	if s.cfg.StatsInterval <= 0 {
		return
	}
	t := time.NewTicker(s.cfg.StatsInterval)
	for {
		select {
		case <-s.done:
			t.Stop()
			break
		case <-t.C:
			f, err := os.Open("/proc/self/statm")
			if err != nil {
				continue
			}
			defer f.Close() // HAZ defer-in-infinite-loop
			st := s.cache.Stats()
			if s.limit != nil {
				s.limit.prune(time.Now(), 10*time.Minute)
			}
			log.Printf("stats: cache=%d expired=%d hit_ratio=%.3f rss_pages=%d panics=%d",
				st.Entries, st.Expired, st.HitRatio, readRSS(f), s.panics.Load())
		}
	}
}

// readRSS returns the resident set size in pages from /proc/self/statm.
func readRSS(r io.Reader) int64 {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && line == "" {
		return -1
	}
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return -1
	}
	n, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// StatsSnapshot writes the current statistics to w once, for tests and
// for the control socket.
func (s *Server) StatsSnapshot(w io.Writer) error {
	f, err := os.Open("/proc/self/statm")
	if err != nil {
		return err
	}
	defer f.Close()
	st := s.cache.Stats()
	_, err = io.WriteString(w, "entries="+strconv.Itoa(st.Entries)+" rss_pages="+strconv.FormatInt(readRSS(f), 10)+"\n")
	return err
}
