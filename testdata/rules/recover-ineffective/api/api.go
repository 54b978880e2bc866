// Package api defers the helper of package safe directly, so its recover works.
package api

import "example.com/recoverineffective/safe"

// RunSafely runs job and reports its panic as an error.
func RunSafely(job func() error) (err error) {
	defer safe.CapturePanic(&err)
	return job()
}
