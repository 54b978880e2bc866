package outsiderecover

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"example.com/outsiderecover/pubsub"
)

// Each goroutine runs a sink of the module, whatever implementation it is: its panics are not
// stopped by deliverAll's recover.
func deliverAll(ctx context.Context, msg string, sinks []pubsub.Sink) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sink panic: %v", p)
		}
	}()
	var wg sync.WaitGroup
	errs := make([]error, len(sinks))
	for i, s := range sinks {
		wg.Add(1)
		go func() { // want `deliverAll protects itself with a deferred recover \(line \d+\), but the goroutine started on line \d+ has no recover of its own`
			defer wg.Done()
			errs[i] = s.Deliver(ctx, msg)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Work of the standard library only: its recover is out of sight. No finding.
func upperAll(words []string) (out []string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("upper: %v", p)
		}
	}()
	var wg sync.WaitGroup
	out = make([]string, len(words))
	for i, w := range words {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = strings.ToUpper(w)
		}()
	}
	wg.Wait()
	return out, nil
}
