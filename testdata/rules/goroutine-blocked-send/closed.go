package blockedsend

import (
	"errors"
	"fmt"
)

type fetched struct {
	url string
	err error
}

func download(u string) fetched {
	if u == "" {
		return fetched{url: u, err: errors.New("empty URL")}
	}
	return fetched{url: u}
}

// The early return leaves senders behind, but the deferred close makes them panic on the closed
// channel rather than block: defer-close-chan-with-sender reports that, not this rule.
func fetchAllClosing(urls []string) error {
	results := make(chan fetched)
	defer close(results)
	for _, u := range urls {
		go func() { results <- download(u) }()
	}
	for range urls {
		if r := <-results; r.err != nil {
			return fmt.Errorf("%s: %w", r.url, r.err)
		}
	}
	return nil
}

// Without the close they block for good: reported.
func fetchAllBlocking(urls []string) error {
	results := make(chan fetched) // want `fetchAllBlocking makes results unbuffered`
	for _, u := range urls {
		go func() { results <- download(u) }()
	}
	for range urls {
		if r := <-results; r.err != nil {
			return fmt.Errorf("%s: %w", r.url, r.err)
		}
	}
	return nil
}
