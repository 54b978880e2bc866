package fixture

import (
	"errors"
	"sync"
)

type node struct {
	name string
	kids []*node
}

func (n *node) expand() ([]*node, error) {
	if n.name == "" {
		return nil, errors.New("unnamed node")
	}
	return n.kids, nil
}

// Each child is counted by the goroutine that starts it; a failed expand returns before the
// goroutine's own Done.
func visitTree(n *node, wg *sync.WaitGroup) {
	kids, err := n.expand()
	if err != nil {
		return
	}
	for _, k := range kids {
		wg.Add(1)
		go visitTree(k, wg)
	}
	wg.Done() // want `wg.Done\(\) on line \d+ is skipped by the return on line \d+`
}

func walkTree(root *node) {
	var wg sync.WaitGroup
	wg.Add(1)
	go visitTree(root, &wg)
	wg.Wait()
}

// The same walk with the Done deferred: every path marks the group.
func visitTreeSafe(n *node, wg *sync.WaitGroup) {
	defer wg.Done()
	kids, err := n.expand()
	if err != nil {
		return
	}
	for _, k := range kids {
		wg.Add(1)
		go visitTreeSafe(k, wg)
	}
}

func walkTreeSafe(root *node) {
	var wg sync.WaitGroup
	wg.Add(1)
	go visitTreeSafe(root, &wg)
	wg.Wait()
}

// The goroutine adds for itself once it takes work, and marks only that: a path that takes none
// owes nothing.
func takeOne(jobs <-chan int, wg *sync.WaitGroup) {
	j, ok := <-jobs
	if !ok {
		return
	}
	wg.Add(1)
	_ = j * 2
	wg.Done()
}

func takeAll(jobs <-chan int) {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		go takeOne(jobs, &wg)
	}
	wg.Wait()
}
