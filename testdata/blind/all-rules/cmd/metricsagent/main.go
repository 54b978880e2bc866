// Command metricsagent samples host metrics and pushes them in batches.
package main

import (
	"log"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

type batcher struct {
	lines chan string
}

func (b *batcher) add(s string) {
	select {
	case b.lines <- s:
	default:
		log.Print("metrics buffer full, dropping sample")
	}
}

func (b *batcher) flush() {
	var pending []string
	for {
		select {
		case l := <-b.lines:
			pending = append(pending, l)
			continue
		default:
		}
		break
	}
	if len(pending) == 0 {
		return
	}
	if err := os.WriteFile("metrics.spool", []byte(strings.Join(pending, "\n")+"\n"), 0o600); err != nil {
		log.Printf("spool metrics: %v", err)
	}
}

func main() {
	b := &batcher{lines: make(chan string, 1024)}
	defer b.flush()

	go func() {
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for range t.C {
			b.add(time.Now().Format(time.RFC3339) + " goroutines=" + strconv.Itoa(runtime.NumGoroutine()))
		}
	}()

	select {} // HAZ signal-skips-defer
}
