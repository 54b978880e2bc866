package blockedsend

import (
	"context"
	"log"
	"time"
)

func fetchValue(key string) ([]byte, error) { return []byte(key), nil }

// The ticker case only logs and comes round again: the goroutine keeps offering its value after
// the parent has returned from its default case.
func tryRefresh(key string, cached []byte) ([]byte, bool) {
	done := make(chan []byte) // want `tryRefresh makes done unbuffered, .* the goroutine blocks forever on the send`
	go func() {
		b, err := fetchValue(key)
		if err != nil {
			return
		}
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case done <- b:
				return
			case <-tick.C:
				log.Printf("refresh %s: result not collected yet", key)
			}
		}
	}()
	select {
	case b := <-done:
		return b, true
	default:
		return cached, false
	}
}

// Here the ticker case gives up after the first tick.
func tryRefreshOnce(key string, cached []byte) ([]byte, bool) {
	done := make(chan []byte)
	go func() {
		b, err := fetchValue(key)
		if err != nil {
			return
		}
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case done <- b:
				return
			case <-tick.C:
				log.Printf("refresh %s: result not collected, dropping it", key)
				return
			}
		}
	}()
	select {
	case b := <-done:
		return b, true
	default:
		return cached, false
	}
}

// The loop's other select returns once the context is done: coming round ends the goroutine.
func uploadAll(ctx context.Context, parts []string) error {
	results := make(chan error)
	for range 2 {
		go func() {
			for {
				var p string
				select {
				case <-ctx.Done():
					return
				case p = <-firstPart(parts):
				}
				_, err := fetchValue(p)
				select {
				case <-ctx.Done():
				case results <- err:
				}
			}
		}()
	}
	for range parts {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-results:
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func firstPart(parts []string) <-chan string {
	ch := make(chan string, 1)
	if len(parts) > 0 {
		ch <- parts[0]
	}
	return ch
}
