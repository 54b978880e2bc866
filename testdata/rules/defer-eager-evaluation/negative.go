package eager

import (
	"fmt"
	"log"
	"os"
	"sync"
	"time"
)

func snapshotUnchanged() {
	x := 3
	defer fmt.Println("x =", x)
	work()
}

func closureReadsAtExit() (err error) {
	start := time.Now()
	defer func() {
		log.Printf("took %v, err=%v", time.Since(start), err)
	}()
	return step()
}

func logDuration(name string, start time.Time) {
	log.Printf("%s took %v", name, time.Since(start))
}

func startTimeIdiom() {
	defer logDuration("op", time.Now())
	work()
}

func pointerToErr() (err error) {
	defer report(&err)
	return step()
}

func report(p *error) {}

func deferInLoopEachValue(names []string) {
	var f *os.File
	for _, n := range names {
		f, _ = os.Open(n)
		defer f.Close()
	}
}

func newVariablePerIteration(names []string) {
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			continue
		}
		defer f.Close()
	}
}

func assignedBeforeDefer() {
	f, _ := os.Open("a")
	f, _ = os.Open("b")
	defer f.Close()
}

func otherBranch(a bool) {
	f, _ := os.Open("a")
	if a {
		defer f.Close()
	} else {
		f, _ = os.Open("b")
		_ = f
	}
}

func receiverSetToNil() {
	f, _ := os.Open("a")
	defer f.Close()
	f = nil
	_ = f
}

func mutexValue() {
	var mu sync.Mutex
	mu.Lock()
	defer mu.Unlock()
	mu = sync.Mutex{}
}

func returnSameErr() (err error) {
	defer logResult("op", err)
	return err
}

func cancelFunc() {
	done := make(chan struct{})
	defer close(done)
	work()
}

func funcVarUnchanged() {
	cleanup := func() {}
	defer cleanup()
	work()
}

func unrelatedShadow() {
	x := 1
	defer fmt.Println(x)
	if true {
		x := 2
		_ = x
	}
}
