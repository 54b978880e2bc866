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
