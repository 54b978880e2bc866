package blockedsend

import (
	"bufio"
	"io"
	"strings"
)

// A producer streaming lines; the consumer returns at the first match, so the producer
// blocks for good on its next send.
func firstMatch(r io.Reader, needle string) (string, bool) {
	lines := make(chan string) // want `firstMatch makes lines unbuffered, and the goroutine started on line \d+ sends values on it \(line \d+\); .*so the goroutine blocks forever on its next send`
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for line := range lines {
		if strings.Contains(line, needle) {
			return line, true
		}
	}
	return "", false
}

// The consumer reads everything: no finding.
func countMatches(r io.Reader, needle string) int {
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	n := 0
	for line := range lines {
		if strings.Contains(line, needle) {
			n++
		}
	}
	return n
}

type progress struct {
	file string
	done bool
}

// The consumer returns only on the producer's last event, after which it sends nothing: no finding.
func copyAll(files []string, copyFile func(string)) int {
	events := make(chan progress)
	go func() {
		for _, f := range files {
			copyFile(f)
			events <- progress{file: f}
		}
		events <- progress{done: true}
	}()
	n := 0
	for {
		ev := <-events
		if ev.done {
			return n
		}
		n++
	}
}

func readFrame(r io.Reader) (string, error) {
	b := make([]byte, 16)
	n, err := r.Read(b)
	return string(b[:n]), err
}

// The reader's last word is its error: it sends it, then returns.
func frameReader(r io.Reader, frames chan<- string, errs chan<- error) {
	for {
		f, err := readFrame(r)
		if err != nil {
			errs <- err
			return
		}
		frames <- f
	}
}

// Leaves only once the reader has sent its error and stopped: no finding.
func serveFrames(r io.Reader, tick <-chan struct{}) []string {
	frames := make(chan string)
	errs := make(chan error, 1)
	go frameReader(r, frames, errs)
	var got []string
	for {
		select {
		case f := <-frames:
			got = append(got, f)
		case <-errs:
			return got
		case <-tick:
			got = append(got, "tick")
		}
	}
}

// Leaves on the tick while the reader may still be streaming: it blocks on its next send.
func serveFramesUntilTick(r io.Reader, tick <-chan struct{}) []string {
	frames := make(chan string) // want `serveFramesUntilTick makes frames unbuffered, .*sends values on it .*takes its <-tick case, serveFramesUntilTick returns without receiving`
	errs := make(chan error, 1)
	go frameReader(r, frames, errs)
	var got []string
	for {
		select {
		case f := <-frames:
			got = append(got, f)
		case <-errs:
			return got
		case <-tick:
			return got
		}
	}
}
