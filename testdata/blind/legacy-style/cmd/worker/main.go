// Command worker processes spool files and records the results in the
// key/value server.
package main

import (
	"bufio"
	"encoding/gob"
	"flag"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"example.com/legacystyle/internal/batch"
	"example.com/legacystyle/internal/logx"
	"example.com/legacystyle/internal/pool"
	"example.com/legacystyle/internal/rpcsvc"
)

// message is one command read from the control stream.
type message struct {
	Op  string
	Arg string
}

// parseMessage splits "op arg" lines.
func parseMessage(line string) (message, bool) {
	parts := strings.Fields(line)
	if len(parts) == 0 {
		return message{}, false
	}
	m := message{Op: parts[0]}
	if len(parts) > 1 {
		m.Arg = parts[1]
	}
	return m, true
}

// readMessages streams the messages of r; the sending goroutine closes the
// channel itself when r is exhausted.
func readMessages(r io.Reader) <-chan message {
	out := make(chan message)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if m, ok := parseMessage(sc.Text()); ok {
				out <- m
			}
		}
	}()
	return out
}

// dispatch handles every message on its own goroutine and waits for them.
func dispatch(in <-chan message, h func(message)) int {
	var wg sync.WaitGroup
	n := 0
	for m := range in {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			h(m)
		}()
		n++
	}
	wg.Wait()
	return n
}

// dispatchCopy is dispatch with a per-iteration copy of the message.
func dispatchCopy(in <-chan message, h func(message)) int {
	var wg sync.WaitGroup
	n := 0
	for m := range in {
		m := m
		wg.Add(1)
		go func() {
			defer wg.Done()
			h(m)
		}()
		n++
	}
	wg.Wait()
	return n
}

// handler stores each job's payload length in the key/value server.
func handler(client *rpcsvc.Client, lg *logx.Logger) pool.HandlerFunc {
	return func(j pool.Job) ([]byte, error) {
		key := "job/" + string(j.Payload)
		if err := client.Set(key, []byte("done")); err != nil {
			lg.Infof("job %d: %v", j.ID, err)
			return nil, err
		}
		return []byte(key), nil
	}
}

// writeResults saves results as gob, reporting a failed close.
func writeResults(path string, results []pool.Result) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	type row struct {
		JobID  int
		Output []byte
		Err    string
	}
	rows := make([]row, 0, len(results))
	for _, r := range results {
		e := ""
		if r.Err != nil {
			e = r.Err.Error()
		}
		rows = append(rows, row{JobID: r.JobID, Output: r.Output, Err: e})
	}
	return gob.NewEncoder(f).Encode(rows)
}

// heartbeat pings the server every interval until stop is closed.
func heartbeat(addr string, lg *logx.Logger, every time.Duration, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(every):
			if err := rpcsvc.PingChecked(addr); err != nil {
				lg.Infof("heartbeat: %v", err)
			}
		}
	}
}

func main() {
	spoolDir := flag.String("spool", "/var/spool/worker", "spool directory")
	workers := flag.Int("workers", 4, "worker goroutines")
	kvAddr := flag.String("kv", "localhost:7070", "kvserver address")
	out := flag.String("out", "results.gob", "results file")
	control := flag.Bool("control", false, "read control messages from stdin")
	flag.Parse()

	lg := logx.New(os.Stderr, "worker ", false)
	client, err := rpcsvc.Dial(*kvAddr, 5*time.Second)
	if err != nil {
		log.Fatalf("worker: %v", err)
	}
	defer client.Close()

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	stop := make(chan struct{})
	defer close(stop)
	go heartbeat(*kvAddr, lg, time.Minute, stop)

	if *control {
		n := dispatchCopy(readMessages(os.Stdin), func(m message) { lg.Infof("control: %s %s", m.Op, m.Arg) })
		lg.Infof("handled %d control messages", n)
		return
	}

	items, err := batch.Collect(*spoolDir)
	if err != nil {
		log.Fatalf("worker: %v", err) // HAZ exit-skips-defer
	}
	p := pool.NewPool(*workers, len(items), handler(client, lg))
	p.Start()
	defer p.Stop()
	for i, it := range items {
		if err := p.Submit(pool.Job{ID: i, Payload: []byte(it.ID)}); err != nil {
			lg.Infof("submit %s: %v", it.ID, err)
		}
	}

	var results []pool.Result
	for len(results) < len(items) {
		select {
		case <-sigs:
			lg.Infof("signal received, stopping with %d of %d results", len(results), len(items))
			return
		case r := <-p.Results():
			results = append(results, r)
		case <-time.After(30 * time.Second):
			lg.Infof("no progress for 30s, giving up")
			return
		}
	}
	if err := writeResults(*out, results); err != nil {
		lg.Infof("write results: %v", err)
	}
}
