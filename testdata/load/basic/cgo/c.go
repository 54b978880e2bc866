package cgo

// int answer(void) { return 42; }
import "C"

// Answer calls into C.
func Answer() int { return int(C.answer()) }
