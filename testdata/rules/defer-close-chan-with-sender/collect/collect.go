// Package collect gathers one result per worker.
package collect

// All receives exactly n values from results.
func All(n int, results chan error) []error {
	var errs []error
	for i := 0; i < n; i++ {
		if err := <-results; err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// Feed sends v on out: it only sends.
func Feed(out chan<- error, v error) { out <- v }
