// Command fakelogs writes synthetic JSON log lines to a file at a fixed
// rate, to load-test logshipd.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"
	"sync"
	"time"
)

var levels = []string{"debug", "info", "info", "info", "warn", "error"}

func main() {
	out := flag.String("out", "fake.log", "log file to write")
	rate := flag.Int("rate", 100, "lines per second")
	flag.Parse()

	f, err := os.OpenFile(*out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		log.Fatal(err)
	}
	g := &generator{f: f, w: bufio.NewWriter(f)}
	defer func() {
		if err := g.close(); err != nil {
			log.Print(err)
		}
	}()
	go g.run(*rate)
	select {} // HAZ signal-skips-defer
}

type generator struct {
	mu sync.Mutex
	f  *os.File
	w  *bufio.Writer
	n  int
}

// run writes rate lines per second, flushing once a second.
func (g *generator) run(rate int) {
	if rate < 1 {
		rate = 1
	}
	t := time.NewTicker(time.Second / time.Duration(rate))
	defer t.Stop()
	for range t.C {
		if err := g.writeLine(); err != nil {
			log.Printf("fakelogs: %v", err)
		}
	}
}

func (g *generator) writeLine() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n++
	lvl := levels[rand.Intn(len(levels))]
	_, err := fmt.Fprintf(g.w, `{"ts":%q,"level":%q,"msg":"request done","seq":%d,"latency_ms":%d}`+"\n",
		time.Now().UTC().Format(time.RFC3339Nano), lvl, g.n, rand.Intn(500))
	if err == nil && g.n%100 == 0 {
		err = g.w.Flush()
	}
	return err
}

// close flushes and closes the file; run must have stopped.
func (g *generator) close() error {
	return errors.Join(g.w.Flush(), g.f.Close())
}
