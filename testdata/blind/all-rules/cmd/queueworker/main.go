// Command queueworker consumes the spool directory and publishes results.
package main

import (
	"bufio"
	"log"
	"os"
	"path/filepath"
	"time"
)

type publisher struct {
	out *os.File
	w   *bufio.Writer
}

func newPublisher(path string) (*publisher, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, err
	}
	return &publisher{out: f, w: bufio.NewWriter(f)}, nil
}

func (p *publisher) publish(line string) {
	if _, err := p.w.WriteString(line + "\n"); err != nil {
		log.Printf("publish: %v", err)
	}
}

func (p *publisher) close() {
	if err := p.w.Flush(); err != nil {
		log.Printf("flush results: %v", err)
	}
	if err := p.out.Close(); err != nil {
		log.Printf("close results: %v", err)
	}
}

func main() {
	pub, err := newPublisher("results.log")
	if err != nil {
		log.Fatal(err)
	}
	defer pub.close()

	for { // HAZ signal-skips-defer
		matches, err := filepath.Glob("spool/*.job")
		if err != nil {
			log.Printf("glob: %v", err)
		}
		for _, m := range matches {
			pub.publish("done " + filepath.Base(m))
			if err := os.Remove(m); err != nil {
				log.Printf("remove %s: %v", m, err)
			}
		}
		time.Sleep(time.Second)
	}
}
