package cgo

// Pure is plain Go.
func Pure() int { return 42 }
