// Package safe holds the panic handler the services defer directly.
package safe

import "log"

// Recover logs a panic and stops it; it works when deferred directly: defer safe.Recover("where").
func Recover(where string) {
	if r := recover(); r != nil {
		log.Printf("panic in %s: %v", where, r)
	}
}
