package closechan

import "errors"

type item struct {
	key string
	err error
}

func fetchPage(marker string) ([]string, string, error) { return nil, "", nil }

// The deferred close is registered only on the early-return path, where no goroutine starts:
// the producer goroutine closes the channel itself on the other path.
func listItems(prefix string) <-chan item {
	out := make(chan item, 1)
	if prefix == "" {
		defer close(out)
		out <- item{err: errors.New("empty prefix")}
		return out
	}
	go func() {
		defer close(out)
		marker := ""
		for {
			keys, next, err := fetchPage(marker)
			if err != nil {
				out <- item{err: err}
				return
			}
			for _, k := range keys {
				out <- item{key: k}
			}
			if next == "" {
				return
			}
			marker = next
		}
	}()
	return out
}

// The goroutine starts first and the close is deferred afterwards on the way out: still a late
// send on a closed channel.
func startThenDefer(n int) int {
	results := make(chan int)
	go func() {
		results <- compute(n)
	}()
	defer close(results) // want `defer close\(results\) in startThenDefer closes results when startThenDefer returns, but the goroutine started on line 46 can still send on it`
	if n > 10 {
		return 0
	}
	return <-results
}

type result struct {
	id string
	n  int
}

func writeKeys(id string, done chan result) { done <- result{id: id, n: 1} }

// Collects one result per writer: the wait for the senders is in this helper.
func waitWriters(writers int, done chan result) int {
	total := 0
	for i := 0; i < writers; i++ {
		r := <-done
		total += r.n
	}
	return total
}

func runWriters(ids []string) int {
	done := make(chan result, len(ids))
	defer close(done)
	for _, id := range ids {
		go writeKeys(id, done)
	}
	return waitWriters(len(ids), done)
}

// A helper that stops at the first failure leaves the other writers sending.
func firstFailure(writers int, done chan result) string {
	for i := 0; i < writers; i++ {
		if r := <-done; r.n == 0 {
			return r.id
		}
	}
	return ""
}

func runUntilFailure(ids []string) string {
	done := make(chan result, len(ids))
	defer close(done) // want `defer close\(done\) in runUntilFailure closes done when runUntilFailure returns, but the goroutine started on line 96`
	for _, id := range ids {
		go writeKeys(id, done)
	}
	return firstFailure(len(ids), done)
}
