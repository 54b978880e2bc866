// Command metricsd samples host metrics from /proc every few seconds and
// appends them to a spool file picked up by the shipping agent.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"example.com/falsealarm6/internal/lockfile"
	"example.com/falsealarm6/internal/metrics"
)

type sampler struct {
	reg   *metrics.Registry
	spool string
	host  string
}

func main() {
	interval := flag.Duration("interval", 10*time.Second, "sampling interval")
	spool := flag.String("spool", "/var/spool/metricsd/samples", "spool file")
	pidPath := flag.String("pidfile", "/run/metricsd.pid", "pid file")
	flag.Parse()

	host, err := os.Hostname()
	if err != nil {
		log.Fatalf("metricsd: %v", err)
	}
	if err := lockfile.WritePIDFile(*pidPath); err != nil {
		log.Fatalf("metricsd: %v", err)
	}
	defer lockfile.RemovePIDFile(*pidPath) // HAZ signal-skips-defer
	s := &sampler{reg: metrics.NewRegistry(log.Default()), spool: *spool, host: host}
	for {
		if err := s.sample(); err != nil {
			log.Printf("metricsd: %v", err)
		}
		time.Sleep(*interval)
	}
}

// sample collects one round and appends it to the spool.
func (s *sampler) sample() error {
	load, err := readLoad("/proc/loadavg")
	if err != nil {
		return err
	}
	s.reg.SetGauge("load1", load)
	mem, err := readMeminfo("/proc/meminfo")
	if err != nil {
		return err
	}
	for k, v := range mem {
		s.reg.SetGauge("mem_"+strings.ToLower(k), float64(v))
	}
	s.reg.Inc("samples")
	return s.appendSpool(time.Now(), s.reg.Snapshot())
}

// readLoad parses the 1-minute load average from a read-only proc file.
func readLoad(path string) (float64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return 0, errors.New("empty loadavg")
	}
	return strconv.ParseFloat(fields[0], 64)
}

// readMeminfo returns MemTotal and MemAvailable in kB.
func readMeminfo(path string) (map[string]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := make(map[string]int64, 2)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "MemTotal" && k != "MemAvailable") {
			continue
		}
		n, err := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
		if err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, sc.Err()
}

// appendSpool appends one line per gauge; the buffered writer is flushed and
// the file closed with both errors returned.
func (s *sampler) appendSpool(t time.Time, snap metrics.Snapshot) error {
	f, err := os.OpenFile(s.spool, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for k, v := range snap.Gauges {
		fmt.Fprintf(w, "%d %s %s %g\n", t.Unix(), s.host, k, v)
	}
	ferr := w.Flush()
	cerr := f.Close()
	return errors.Join(ferr, cerr)
}
