package blockedsend

import (
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
